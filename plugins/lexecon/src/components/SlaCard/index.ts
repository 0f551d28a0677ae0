export { SlaCard, SlaStatusBadge, SLA_STATUS_LABELS } from './SlaCard';
