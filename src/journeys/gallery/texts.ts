// The gallery's words in English, in one place (names, descriptions, subjects and e-mail bodies), for translation later.

export const GALLERY_TEXTS = {
  abandonedCart: {
    name: 'Abandoned cart',
    description: 'Someone added a product to the cart and did not order: a reminder an hour later, a coupon a day later. Ordering that cart ends it.',
    reminder: { name: 'Cart reminder', subject: 'You left something in your cart, {{ customer.first_name | default: "there" }}', body: 'Your cart still holds {{ cart.quantity }} item(s), {{ cart.total | money }} in all.{% if cart.url %}<br/><a href="{{ cart.url }}">Back to your cart</a>{% endif %}' },
    coupon: { name: 'Cart coupon', subject: 'A coupon for your cart', body: 'Your cart is waiting. Use the code <b>{{ coupon }}</b> at checkout.{% if cart.url %}<br/><a href="{{ cart.url }}">Back to your cart</a>{% endif %}' },
  },
  browse: {
    name: 'Browse abandonment',
    description: 'Someone looked at a product and did not add it to the cart within 4 hours: one e-mail about it, at most once a week per product.',
    reminder: { name: 'Still thinking?', subject: 'Still thinking about {{ product.name }}?', body: '{{ product.name }}{% if product.price %} {{ product.price | money }}{% endif %}<br/><a href="{{ product.url }}">Have another look</a>' },
  },
  welcome: {
    name: 'Welcome series',
    description: 'A new sign-up gets a welcome at once and a few tips three days later; once per customer.',
    hello: { name: 'Welcome', subject: 'Welcome, {{ customer.first_name | default: "friend" }}!', body: 'Thank you for joining us. We are glad you are here.' },
    tips: { name: 'Welcome tips', subject: 'Three things to try first', body: 'Here is how to get the most out of your account: browse the new arrivals, save your favourites, and tell us what you like.' },
  },
  postPurchase: {
    name: 'Post-purchase thank-you and review request',
    description: 'After an order: a thank-you at once, and two weeks later a request to review what they bought.',
    thanks: { name: 'Thank you for your order', subject: 'Thank you for your order', body: 'Thank you for shopping with us, {{ customer.first_name | default: "friend" }}. We are preparing your order.' },
    review: { name: 'Review request', subject: 'How do you like your purchase?', body: 'A couple of weeks have passed: how is it going? Your review helps other customers choose.' },
  },
  replenishment: {
    name: 'Replenishment reminder',
    description: 'A reminder to buy again when the product usually runs out (30 days here: set the wait to the product\'s usual interval). Ordering again ends it.',
    reminder: { name: 'Time to restock', subject: 'Running low?', body: 'It has been a while since your last order. Time to restock?' },
  },
  winBack: {
    name: 'Win-back on churn risk',
    description: 'A customer whose churn risk turns high (the models\' score) gets a "we miss you" e-mail; it creates the segment "High churn risk".',
    segment: 'High churn risk',
    missYou: { name: 'We miss you', subject: 'We miss you, {{ customer.first_name | default: "friend" }}', body: 'It has been a while. Come back and see what is new.' },
  },
  birthday: {
    name: 'Birthday',
    description: 'A greeting on the customer\'s birthday (the trait "birthday", a date), at 9:00 in their time zone.',
    greeting: { name: 'Happy birthday', subject: 'Happy birthday, {{ customer.first_name | default: "friend" }}!', body: 'All the best on your birthday from all of us.' },
  },
  paymentReminder: {
    name: 'Payment / renewal reminder',
    description: 'An invoice or subscription due soon: a reminder three days before its due date (the event\'s "dueDate"). Paying it ends the journey.',
    reminder: { name: 'Payment reminder', subject: 'Your payment is due soon', body: 'A friendly reminder: your payment{% if event.amount %} of {{ event.amount | money }}{% endif %} is due on {{ event.dueDate | local_date }}.' },
  },
  unsubscribe: 'Unsubscribe',
} as const;
