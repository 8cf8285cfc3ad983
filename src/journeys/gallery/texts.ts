// The gallery's words in one place: the recipes' names and descriptions (what the dashboard shows, English), and the
// subject and body of every template a recipe brings in English, Polish and Russian (Liquid inside: a message says the
// customer's name, cart and money as they read them). A recipe's template holds the three as locale variants.
import type { Language } from '../../i18n/index.ts';

export const GALLERY_TEXTS = {
  abandonedCart: {
    name: 'Abandoned cart',
    description:
      'Someone added a product to the cart and did not order: a reminder an hour later, a coupon a day later. Ordering that cart ends it.',
    reminder: 'Cart reminder',
    coupon: 'Cart coupon',
  },
  browse: {
    name: 'Browse abandonment',
    description:
      'Someone looked at a product and did not add it to the cart within 4 hours: one e-mail about it, at most once a week per product.',
    reminder: 'Still thinking?',
  },
  welcome: {
    name: 'Welcome series',
    description: 'A new sign-up gets a welcome at once and a few tips three days later; once per customer.',
    hello: 'Welcome',
    tips: 'Welcome tips',
  },
  postPurchase: {
    name: 'Post-purchase thank-you and review request',
    description: 'After an order: a thank-you at once, and two weeks later a request to review what they bought.',
    thanks: 'Thank you for your order',
    review: 'Review request',
  },
  replenishment: {
    name: 'Replenishment reminder',
    description:
      'A reminder to buy again when the products ordered usually run out: the median time between repeat purchases of each (the first to run out decides; 30 days when fewer than 3 repeats are known). Ordering again ends it.',
    reminder: 'Time to restock',
  },
  winBack: {
    name: 'Win-back on churn risk',
    description:
      'A customer whose churn risk turns high (the models\' score) gets a "we miss you" e-mail; it creates the segment "High churn risk".',
    segment: 'High churn risk',
    missYou: 'We miss you',
  },
  birthday: {
    name: 'Birthday',
    description: 'A greeting on the customer\'s birthday (the trait "birthday", a date), at 9:00 in their time zone.',
    greeting: 'Happy birthday',
  },
  paymentReminder: {
    name: 'Payment / renewal reminder',
    description:
      'An invoice or subscription due soon: a reminder three days before its due date (the event\'s "dueDate"). Paying it ends the journey.',
    reminder: 'Payment reminder',
  },
} as const;

/** One template's words in one language: its subject, and its body as HTML inside an MJML text block. */
export interface MessageText {
  subject: string;
  body: string;
}

/** What every language says: each template's subject and body, and the unsubscribe link's words. */
export interface GalleryMessages {
  cartReminder: MessageText;
  cartCoupon: MessageText;
  browseReminder: MessageText;
  welcome: MessageText;
  welcomeTips: MessageText;
  orderThanks: MessageText;
  reviewRequest: MessageText;
  restock: MessageText;
  missYou: MessageText;
  birthday: MessageText;
  paymentReminder: MessageText;
  unsubscribe: string;
}

/** ", Anna" after a greeting when the customer's first name is known, nothing when it is not. */
const commaName = '{% if customer.first_name %}, {{ customer.first_name }}{% endif %}';

export const GALLERY_MESSAGES: Record<Language, GalleryMessages> = {
  en: {
    cartReminder: {
      subject: 'You left something in your cart, {{ customer.first_name | default: "there" }}',
      body: 'Your cart still holds {{ cart.quantity }} item(s), {{ cart.total | money }} in all.{% if cart.url %}<br/><a href="{{ cart.url }}">Back to your cart</a>{% endif %}',
    },
    cartCoupon: {
      subject: 'A coupon for your cart',
      body: 'Your cart is waiting. Use the code <b>{{ coupon }}</b> at checkout.{% if cart.url %}<br/><a href="{{ cart.url }}">Back to your cart</a>{% endif %}',
    },
    browseReminder: {
      subject: 'Still thinking about {{ product.name }}?',
      body: '{{ product.name }}{% if product.price %} {{ product.price | money }}{% endif %}<br/><a href="{{ product.url }}">Have another look</a>',
    },
    welcome: {
      subject: 'Welcome, {{ customer.first_name | default: "friend" }}!',
      body: 'Thank you for joining us. We are glad you are here.',
    },
    welcomeTips: {
      subject: 'Three things to try first',
      body: 'Here is how to get the most out of your account: browse the new arrivals, save your favourites, and tell us what you like.',
    },
    orderThanks: {
      subject: 'Thank you for your order',
      body: 'Thank you for shopping with us, {{ customer.first_name | default: "friend" }}. We are preparing your order.',
    },
    reviewRequest: {
      subject: 'How do you like your purchase?',
      body: 'A couple of weeks have passed: how is it going? Your review helps other customers choose.',
    },
    restock: { subject: 'Running low?', body: 'It has been a while since your last order. Time to restock?' },
    missYou: {
      subject: 'We miss you, {{ customer.first_name | default: "friend" }}',
      body: 'It has been a while. Come back and see what is new.',
    },
    birthday: {
      subject: 'Happy birthday, {{ customer.first_name | default: "friend" }}!',
      body: 'All the best on your birthday from all of us.',
    },
    paymentReminder: {
      subject: 'Your payment is due soon',
      body: 'A friendly reminder: your payment{% if event.amount %} of {{ event.amount | money }}{% endif %} is due on {{ event.dueDate | local_date }}.',
    },
    unsubscribe: 'Unsubscribe',
  },
  pl: {
    cartReminder: {
      subject:
        '{% if customer.first_name %}{{ customer.first_name }}, w Twoim koszyku coś zostało{% else %}W Twoim koszyku coś zostało{% endif %}',
      body: 'Produkty w Twoim koszyku wciąż czekają: razem {{ cart.total | money }}.{% if cart.url %}<br/><a href="{{ cart.url }}">Wróć do koszyka</a>{% endif %}',
    },
    cartCoupon: {
      subject: 'Kod rabatowy na Twój koszyk',
      body: 'Twój koszyk wciąż czeka. Podaj kod <b>{{ coupon }}</b> przy składaniu zamówienia.{% if cart.url %}<br/><a href="{{ cart.url }}">Wróć do koszyka</a>{% endif %}',
    },
    browseReminder: {
      subject: 'Wciąż się zastanawiasz? {{ product.name }} na Ciebie czeka',
      body: '{{ product.name }}{% if product.price %} {{ product.price | money }}{% endif %}<br/><a href="{{ product.url }}">Zobacz jeszcze raz</a>',
    },
    welcome: {
      subject: `Witamy${commaName}!`,
      body: 'Dziękujemy za dołączenie do nas. Cieszymy się, że jesteś z nami.',
    },
    welcomeTips: {
      subject: 'Trzy rzeczy na dobry początek',
      body: 'Jak najlepiej korzystać z konta: przejrzyj nowości, zapisuj ulubione produkty i daj nam znać, co Ci się podoba.',
    },
    orderThanks: {
      subject: 'Dziękujemy za zamówienie',
      body: `Dziękujemy za zakupy${commaName}! Przygotowujemy Twoje zamówienie.`,
    },
    reviewRequest: {
      subject: 'Jak oceniasz swój zakup?',
      body: 'Minęły już dwa tygodnie. Jak się sprawdza? Twoja opinia pomoże innym klientom w wyborze.',
    },
    restock: {
      subject: 'Czas uzupełnić zapasy?',
      body: 'Od Twojego ostatniego zamówienia minęło już trochę czasu. Może pora na kolejne?',
    },
    missYou: { subject: `Tęsknimy za Tobą${commaName}`, body: 'Dawno Cię u nas nie było. Wróć i zobacz, co nowego.' },
    birthday: {
      subject: `Wszystkiego najlepszego${commaName}!`,
      body: 'Z okazji urodzin życzymy Ci wszystkiego, co najlepsze!',
    },
    paymentReminder: {
      subject: 'Zbliża się termin płatności',
      body: 'Przypominamy: termin płatności{% if event.amount %} w wysokości {{ event.amount | money }}{% endif %} upływa {{ event.dueDate | local_date: "long" }}.',
    },
    unsubscribe: 'Wypisz się',
  },
  ru: {
    cartReminder: {
      subject:
        '{% if customer.first_name %}{{ customer.first_name }}, вы кое-что оставили в корзине{% else %}Вы кое-что оставили в корзине{% endif %}',
      body: 'Товары в вашей корзине всё ещё ждут вас: всего на {{ cart.total | money }}.{% if cart.url %}<br/><a href="{{ cart.url }}">Вернуться в корзину</a>{% endif %}',
    },
    cartCoupon: {
      subject: 'Промокод для вашей корзины',
      body: 'Ваша корзина всё ещё ждёт. Введите промокод <b>{{ coupon }}</b> при оформлении заказа.{% if cart.url %}<br/><a href="{{ cart.url }}">Вернуться в корзину</a>{% endif %}',
    },
    browseReminder: {
      subject: 'Всё ещё думаете? {{ product.name }} ждёт вас',
      body: '{{ product.name }}{% if product.price %} {{ product.price | money }}{% endif %}<br/><a href="{{ product.url }}">Посмотреть ещё раз</a>',
    },
    welcome: {
      subject: `Добро пожаловать${commaName}!`,
      body: 'Спасибо, что присоединились к нам. Мы рады, что вы с нами.',
    },
    welcomeTips: {
      subject: 'С чего начать: три совета',
      body: 'Как получить от аккаунта максимум: посмотрите новинки, добавляйте понравившееся в избранное и расскажите нам, что вам нравится.',
    },
    orderThanks: { subject: 'Спасибо за заказ', body: `Спасибо за покупку${commaName}! Мы уже собираем ваш заказ.` },
    reviewRequest: {
      subject: 'Как вам покупка?',
      body: 'Прошло уже две недели. Как впечатления? Ваш отзыв поможет другим покупателям сделать выбор.',
    },
    restock: {
      subject: 'Пора пополнить запасы?',
      body: 'С вашего последнего заказа прошло уже немало времени. Может быть, пора повторить?',
    },
    missYou: {
      subject: `Мы скучаем по вам${commaName}`,
      body: 'Давно вас не было видно. Загляните к нам и посмотрите, что нового.',
    },
    birthday: {
      subject: `С днём рождения${commaName}!`,
      body: 'Поздравляем вас с днём рождения и желаем всего самого лучшего!',
    },
    paymentReminder: {
      subject: 'Скоро срок оплаты',
      body: 'Напоминаем: {{ event.dueDate | local_date: "long" }} наступает срок оплаты{% if event.amount %} на сумму {{ event.amount | money }}{% endif %}.',
    },
    unsubscribe: 'Отписаться',
  },
};
