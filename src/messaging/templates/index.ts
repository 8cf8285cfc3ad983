// Templates: what the rest of Retain uses (the dispatcher renders intents with these; the HTTP routes manage them).
export { renderTemplate } from './render.ts';
export { templateContext } from './context.ts';
export { messageLocality } from './locale.ts';
export { createTemplate, deleteTemplate, getTemplate, listTemplates, updateTemplate } from './store.ts';
export { InvalidTemplate, TemplateRenderError, TemplateStoreError } from './errors.ts';
export { type RenderableTemplate } from './compile.ts';
