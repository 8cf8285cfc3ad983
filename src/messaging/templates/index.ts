// Templates: what the rest of Retain uses (the dispatcher renders intents with these; the HTTP routes manage them).
export { renderTemplate } from './render.ts';
export { templateContext } from './context.ts';
export { messageLocality } from './locale.ts';
export { createTemplate, deleteTemplate, getTemplate, listTemplates, updateTemplate, validateTemplate } from './store.ts';
export { outgoingMessage } from './outgoing.ts';
export { previewTemplate, findCustomer, recentEvents, type PreviewRequest } from './preview.ts';
export { SAMPLE_EVENTS, SAMPLE_EVENT_IDS } from './samples.ts';
export { EMAIL_LAYOUTS } from './layouts/index.ts';
export { InvalidTemplate, TemplateRenderError, TemplateStoreError } from './errors.ts';
export { type RenderableTemplate } from './compile.ts';
