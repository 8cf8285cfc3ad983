// Messages page: the last 30 days in a chart, templates (and a new one), the message log, channels and the send gate's settings.
import { ChannelsSummary } from '../components/messages/ChannelsSummary';
import { MessagesSummary } from '../components/messages/MessagesSummary';
import { MessagingSettingsForm } from '../components/messages/MessagingSettingsForm';
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
    </>
  );
}
