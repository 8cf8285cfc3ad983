// Templates: what the rest of Retain uses (the dispatcher renders intents with these; the HTTP routes manage them).
export { renderTemplate, contentChannel, type RenderedMessage, type RenderOptions } from './render.ts';
export { templateContext, type TemplateContext, type ContextInput, type CustomerProfile, type IntentData, type MessageLinks, type SenderIdentity } from './context.ts';
export { chooseLocale, localeChain, messageLocality, normalizeLocale, type LocaleChoice, type LocaleSource, type MessageLocality, type WorkspaceLocality } from './locale.ts';
export { getMessageDefaults, type MessageDefaults } from './settings.ts';
export { createTemplate, deleteTemplate, getTemplate, listTemplates, updateTemplate, validateTemplate, type Template, type TemplateInput, type TemplateSummary } from './store.ts';
export { outgoingMessage } from './outgoing.ts';
export { previewTemplate, findCustomer, previewLinks, recentEvents, type Preview, type PreviewRequest, type RecentEvent } from './preview.ts';
export { SAMPLE_EVENTS, SAMPLE_EVENT_IDS, type SampleEvent, type SampleEventId } from './samples.ts';
export { EMAIL_LAYOUTS, type EmailLayout } from './layouts/index.ts';
export { InvalidTemplate, TemplateRenderError, TemplateStoreError, type TemplateProblem } from './errors.ts';
export { type RenderableTemplate } from './compile.ts';
export type { TemplateContent } from './schema.ts';
