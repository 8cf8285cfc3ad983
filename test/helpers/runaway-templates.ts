// Templates that misbehave, for the render limits' tests: one that loops too long, one that prints too much, and an
// MJML body too long to lay out.

/** Loops inside loops: ten billion steps. */
export const SLOW_HTML = '<p>{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}</p>';

/** A megabyte of text for one customer, in a thousand quick steps. */
export const HUGE_HTML = `<p>{% for i in (1..1000) %}${'0123456789'.repeat(100)}{% endfor %}</p>`;

/** An MJML body of 1,500 sections: laying it out takes seconds, in one step no Liquid limit can interrupt. */
export const LONG_MJML = `<mjml><mj-body>${'<mj-section><mj-column><mj-text>Hello {{ customer.first_name }}</mj-text><mj-button href="https://shop.example/">Go</mj-button></mj-column></mj-section>'.repeat(1500)}</mj-body></mjml>`;
