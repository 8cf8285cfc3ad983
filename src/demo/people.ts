// The demo shop's customers: first and last names of three markets (Polish, Russian, English), their locales, time
// zones and a Latin spelling for e-mail addresses (at the reserved example.* domains, so no real mail can go out).

export interface Market {
  code: 'pl' | 'ru' | 'en-gb' | 'en-us';
  locale: string;
  timeZone: string;
  /** Hours from UTC in winter: customers are active in their own daytime (a demo need not follow summer time). */
  utcOffset: number;
  country: string;
  /** Share of the customers. */
  weight: number;
  first: { female: readonly string[]; male: readonly string[] };
  /** Last names; for Russian, [male, female] forms. */
  last: readonly (string | readonly [string, string])[];
  domain: string;
}

export const MARKETS: readonly Market[] = [
  {
    code: 'pl', locale: 'pl-PL', timeZone: 'Europe/Warsaw', utcOffset: 1, country: 'PL', weight: 0.35, domain: 'example.com',
    first: {
      female: ['Anna', 'Maria', 'Katarzyna', 'Małgorzata', 'Agnieszka', 'Zofia', 'Joanna', 'Ewa', 'Magdalena', 'Łucja', 'Alicja', 'Hanna'],
      male: ['Piotr', 'Krzysztof', 'Tomasz', 'Paweł', 'Łukasz', 'Michał', 'Jakub', 'Grzegorz', 'Wojciech', 'Jędrzej', 'Mikołaj', 'Szymon'],
    },
    last: ['Nowak', 'Kowalczyk', 'Wiśniewska', 'Wójcik', 'Kamiński', 'Lewandowska', 'Zieliński', 'Szymańska', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Jankowski', 'Mazur', 'Krawczyk', 'Grabowski', 'Pawlak'],
  },
  {
    code: 'ru', locale: 'ru-RU', timeZone: 'Europe/Moscow', utcOffset: 3, country: 'RU', weight: 0.25, domain: 'example.org',
    first: {
      female: ['Анна', 'Мария', 'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Светлана', 'Юлия', 'Дарья', 'Ксения', 'Софья'],
      male: ['Алексей', 'Дмитрий', 'Сергей', 'Андрей', 'Иван', 'Михаил', 'Николай', 'Павел', 'Егор', 'Артём', 'Юрий', 'Фёдор'],
    },
    last: [['Иванов', 'Иванова'], ['Смирнов', 'Смирнова'], ['Кузнецов', 'Кузнецова'], ['Попов', 'Попова'], ['Соколов', 'Соколова'], ['Лебедев', 'Лебедева'], ['Козлов', 'Козлова'], ['Новиков', 'Новикова'], ['Морозов', 'Морозова'], ['Волков', 'Волкова'], ['Зайцев', 'Зайцева'], ['Орлов', 'Орлова']],
  },
  {
    code: 'en-gb', locale: 'en-GB', timeZone: 'Europe/London', utcOffset: 0, country: 'GB', weight: 0.25, domain: 'example.net',
    first: {
      female: ['Olivia', 'Amelia', 'Isla', 'Ava', 'Emily', 'Grace', 'Sophie', 'Charlotte', 'Lucy', 'Harriet'],
      male: ['Oliver', 'George', 'Harry', 'Jack', 'Charlie', 'Thomas', 'William', 'James', 'Alfie', 'Rory'],
    },
    last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Evans', 'Walker', 'Wright', 'Hughes', 'Edwards', 'Green'],
  },
  {
    code: 'en-us', locale: 'en-US', timeZone: 'America/New_York', utcOffset: -5, country: 'US', weight: 0.15, domain: 'example.com',
    first: {
      female: ['Emma', 'Madison', 'Abigail', 'Hannah', 'Elizabeth', 'Megan', 'Ashley', 'Lauren', 'Rachel', 'Kayla'],
      male: ['Michael', 'Christopher', 'Matthew', 'Joshua', 'Daniel', 'Andrew', 'Ryan', 'Tyler', 'Brandon', 'Justin'],
    },
    last: ['Miller', 'Davis', 'Garcia', 'Rodriguez', 'Martinez', 'Anderson', 'Thomas', 'Jackson', 'White', 'Harris', 'Martin', 'Thompson', 'Moore', 'Clark'],
  },
];

const LATIN: Record<string, string> = {
  ą: 'a', ć: 'c', ę: 'e', ł: 'l', ń: 'n', ó: 'o', ś: 's', ź: 'z', ż: 'z',
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n',
  о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y',
  ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** A name spelt with the letters a-z, for the local part of an e-mail address ("Łucja" → "lucja", "Фёдор" → "fedor"). */
export function latin(name: string): string {
  return [...name.toLowerCase()].map((ch) => LATIN[ch] ?? ch).join('').replace(/[^a-z]/g, '');
}
