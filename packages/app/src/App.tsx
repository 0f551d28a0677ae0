import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import lexeconPlugin from '@internal/plugin-lexecon/alpha';
import { appModule } from './modules/appModule';

export default createApp({
  features: [
    catalogPlugin,
    userSettingsPlugin,
    signalsPlugin,
    notificationsPlugin,
    lexeconPlugin,
    appModule,
  ],
});
