// The public data sets Retain knows: which are shipped in datasets/, and where the large ones are downloaded from.

export type DatasetName = 'cdnow' | 'online-retail' | 'hillstrom';

export interface ShippedDataset {
  kind: 'shipped';
  title: string;
  /** Path under datasets/. */
  path: string;
}

export interface DownloadedDataset {
  kind: 'download';
  title: string;
  /** File name in the cache folder (and the mirror's path). */
  file: string;
  /** Path of the same file under the offline copy (../shared/data). */
  shared: string;
  /** The publisher's address of the file. */
  url: string;
  /** SHA-256 of the file, hex: a download with another is refused. */
  sha256: string;
  licence: string;
  /** What a user should know before fetching it. */
  note?: string;
}

export type Dataset = ShippedDataset | DownloadedDataset;

export const DATASETS: Record<DatasetName, Dataset> = {
  cdnow: {
    kind: 'shipped',
    title: 'CDNOW sample: 6,919 purchases of 2,357 customers (1997-98), MIT',
    path: 'cdnow/CDNOW_sample.txt',
  },
  'online-retail': {
    kind: 'download',
    title: 'UCI Online Retail: 541,909 invoice lines of a UK gift shop (2010-11), CSV, gzip',
    file: 'online_retail.csv.gz',
    shared: 'retail/online_retail.csv.gz',
    url: 'https://archive.ics.uci.edu/static/public/352/online+retail.zip',
    sha256: 'b577c8cad9f986a4ba545c852fbd4ba142277a254a95b30c4c2f0925e9c974ba',
    licence: 'CC BY 4.0, UCI Machine Learning Repository, data set 352 (Daqing Chen)',
    note: 'the publisher ships an Excel workbook in a zip; Retain reads its CSV export (online_retail.csv.gz): put that file on a mirror (RETAIN_DATA_MIRROR) if the download is refused',
  },
  hillstrom: {
    kind: 'download',
    title: 'Hillstrom e-mail experiment: 64,000 customers in two e-mail arms and a control group (2008)',
    file: 'hillstrom.csv',
    shared: 'experiments/hillstrom.csv',
    url: 'http://www.minethatdata.com/Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv',
    sha256: 'ff9e59285e9dc3f5fa3e0975419e6631ea5bdccd65d818991473d2367e02979c',
    licence: 'published by Kevin Hillstrom (MineThatData) for the E-Mail Analytics and Data Mining Challenge, 2008',
  },
};

export function isDatasetName(name: string): name is DatasetName {
  return Object.hasOwn(DATASETS, name);
}
