import { createBackend } from '@backstage/backend-defaults';
import { guestProviderWhereConfigured } from './guestProvider';
import { notificationProcessorsWhereConfigured } from './notifications/notificationProcessors';
import { lexeconPermissionPolicyModule } from './permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(guestProviderWhereConfigured);
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-events-backend-module-github'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(notificationProcessorsWhereConfigured);
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(lexeconPermissionPolicyModule);
backend.add(import('@internal/plugin-lexecon-backend'));

backend.start();
