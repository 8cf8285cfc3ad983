// The product's own words that the server sends as values (RFM segment names, churn risk bands, lifecycle stages), in
// the dashboard's language. A value not listed (a newer server) shows as sent.
import { t } from './index';

const RFM_SEGMENTS: Record<string, () => string> = {
  Champions: () => t('rfmSegment.champions'),
  Loyal: () => t('rfmSegment.loyal'),
  'Potential loyalist': () => t('rfmSegment.potentialLoyalist'),
  New: () => t('rfmSegment.new'),
  Promising: () => t('rfmSegment.promising'),
  'Need attention': () => t('rfmSegment.needAttention'),
  'About to sleep': () => t('rfmSegment.aboutToSleep'),
  'Cannot lose them': () => t('rfmSegment.cannotLoseThem'),
  'At risk': () => t('rfmSegment.atRisk'),
  Hibernating: () => t('rfmSegment.hibernating'),
  Lost: () => t('rfmSegment.lost'),
};

const RISKS: Record<string, () => string> = {
  low: () => t('risk.low'),
  medium: () => t('risk.medium'),
  high: () => t('risk.high'),
};

const STAGES: Record<string, () => string> = {
  new: () => t('stage.new'),
  active: () => t('stage.active'),
  at_risk: () => t('stage.atRisk'),
  churned: () => t('stage.churned'),
  reactivated: () => t('stage.reactivated'),
};

function lookUp(table: Record<string, () => string>, value: string): string {
  return Object.hasOwn(table, value) ? table[value]!() : value;
}

export const rfmSegmentName = (name: string): string => lookUp(RFM_SEGMENTS, name);
export const riskName = (band: string): string => lookUp(RISKS, band);
export const stageName = (stage: string): string => lookUp(STAGES, stage);
