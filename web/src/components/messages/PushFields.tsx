// The push content of one locale (mobile and web push): title, body, the URL opened on tap and the icon.
import { TextField } from '../journeys/fields';
import type { PushContent } from '../../messages/types';
import { LiquidArea } from './LiquidArea';
import { t } from '../../i18n';

export function PushFields({ value, onChange }: { value: PushContent; onChange: (v: PushContent) => void }) {
  return (
    <div className="tpl-fields">
      <TextField label={t('push.title')} value={value.title} onChange={(title) => onChange({ ...value, title })} />
      <LiquidArea
        label={t('push.body')}
        rows={3}
        value={value.body}
        onChange={(body) => onChange({ ...value, body })}
      />
      <TextField
        label={t('push.url')}
        hint={t('push.urlHint')}
        value={value.url}
        onChange={(url) => onChange({ ...value, url })}
      />
      <TextField label={t('push.icon')} value={value.icon} onChange={(icon) => onChange({ ...value, icon })} />
    </div>
  );
}
