// A template's problems, each with its JSON path, line and column; a click opens the locale and channel it is in.
import { problemTarget } from '../../messages/draft';
import type { ContentChannel, TemplateProblem } from '../../messages/types';
import { t } from '../../i18n';
import { templateProblemWords } from '../../messages/problemWords';

export function ProblemList({
  problems,
  onOpen,
  testId = 'template-problems',
}: {
  problems: TemplateProblem[];
  onOpen?: (locale: string, channel?: ContentChannel) => void;
  testId?: string;
}) {
  if (problems.length === 0) return null;
  return (
    <div className="tpl-problems" role="alert">
      <p className="jf-problem">{t('problems.toFix', { count: problems.length })}</p>
      <ul className="jf-errors" data-testid={testId}>
        {problems.map((p, i) => {
          const target = onOpen ? problemTarget(p.path) : null;
          const where = (
            <code>
              {p.path}
              {p.line !== undefined && ` ${t('templateProblem.where', { line: p.line, column: p.column ?? 1 })}`}
            </code>
          );
          return (
            <li key={i}>
              {target ? (
                <button type="button" className="linklike" onClick={() => onOpen!(target.locale, target.channel)}>
                  {where}
                </button>
              ) : (
                where
              )}{' '}
              {templateProblemWords(p)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
