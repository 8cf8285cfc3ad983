// Starter content in the dashboard's language: the gallery's recipes (name, description), the e-mails each brings
// (by their base template ids) and the e-mail layouts, by the stable ids the API sends them with. An id Retain has no
// words for (a newer server) keeps the server's English.
import { t } from '../i18n/index.ts';

interface Named {
  name: string;
  description: string;
}

export const RECIPE_WORDS: Record<string, () => Named> = {
  'abandoned-cart': () => ({
    name: t('recipe.abandonedCart.name'),
    description: t('recipe.abandonedCart.description'),
  }),
  'browse-abandonment': () => ({ name: t('recipe.browse.name'), description: t('recipe.browse.description') }),
  'welcome-series': () => ({ name: t('recipe.welcome.name'), description: t('recipe.welcome.description') }),
  'post-purchase': () => ({ name: t('recipe.postPurchase.name'), description: t('recipe.postPurchase.description') }),
  replenishment: () => ({ name: t('recipe.replenishment.name'), description: t('recipe.replenishment.description') }),
  'win-back': () => ({ name: t('recipe.winBack.name'), description: t('recipe.winBack.description') }),
  birthday: () => ({ name: t('recipe.birthday.name'), description: t('recipe.birthday.description') }),
  'payment-reminder': () => ({
    name: t('recipe.paymentReminder.name'),
    description: t('recipe.paymentReminder.description'),
  }),
};

/** The recipes' e-mails by their base template id. */
export const RECIPE_TEMPLATE_WORDS: Record<string, () => string> = {
  'cart-reminder': () => t('recipe.template.cartReminder'),
  'cart-coupon': () => t('recipe.template.cartCoupon'),
  'browse-reminder': () => t('recipe.template.browseReminder'),
  welcome: () => t('recipe.template.welcome'),
  'welcome-tips': () => t('recipe.template.welcomeTips'),
  'order-thanks': () => t('recipe.template.orderThanks'),
  'review-request': () => t('recipe.template.reviewRequest'),
  'replenish-reminder': () => t('recipe.template.restock'),
  'win-back': () => t('recipe.template.missYou'),
  birthday: () => t('recipe.template.birthday'),
  'payment-reminder': () => t('recipe.template.paymentReminder'),
};

export const LAYOUT_WORDS: Record<string, () => Named> = {
  basic: () => ({ name: t('layout.basic.name'), description: t('layout.basic.description') }),
  cart: () => ({ name: t('layout.cart.name'), description: t('layout.cart.description') }),
  'product-grid': () => ({ name: t('layout.productGrid.name'), description: t('layout.productGrid.description') }),
  coupon: () => ({ name: t('layout.coupon.name'), description: t('layout.coupon.description') }),
};

/** `item` with its name (and description) in the dashboard's language when `words` has its id. */
export function inLanguage<T extends { id: string; name: string }>(
  item: T,
  words: Record<string, () => Partial<Named> | string>,
): T {
  if (!Object.hasOwn(words, item.id)) return item;
  const said = words[item.id]!();
  return typeof said === 'string' ? { ...item, name: said } : { ...item, ...said };
}
