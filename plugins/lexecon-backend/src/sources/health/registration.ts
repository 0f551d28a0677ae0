import { defineSource } from '../registry';
import { ServiceHealthSource } from './ServiceHealthSource';

export const serviceHealthRegistration = defineSource({
  id: 'health',
  create: ({ upstream }) => new ServiceHealthSource(upstream),
});
