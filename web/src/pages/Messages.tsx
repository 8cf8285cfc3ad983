// Messages page: the last 30 days in a chart, templates (and a new one), the message log, channels, the send gate's settings and the
// workspace's default language.
import { ChannelsSummary } from '../components/messages/ChannelsSummary';
import { MessagesSummary } from '../components/messages/MessagesSummary';
import { MessagingSettingsForm } from '../components/messages/MessagingSettingsForm';
import { WorkspaceLanguageForm } from '../components/messages/WorkspaceLanguageForm';
import { RecentMessages } from '../components/messages/RecentMessages';
import { TemplatesList } from '../components/messages/TemplatesList';
import { apiPath } from '../api';
import { useApi } from '../useApi';
import type { JourneySummary } from '../journeys/types';
import '../segments.css';
import '../journeys.css';
import '../messages.css';
import { t } from '../i18n';

export function Messages() {
  const { data } = useApi<{ journeys: JourneySummary[] }>(apiPath('/journeys'));
  return (
    <>
      <h1>{t('nav.messages')}</h1>
      <MessagesSummary />
      <TemplatesList />
      <RecentMessages journeys={data?.journeys ?? []} />
      <ChannelsSummary />
      <MessagingSettingsForm />
      <WorkspaceLanguageForm />
    </>
  );
}
