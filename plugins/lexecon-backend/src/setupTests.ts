import { failOnUnexpectedConsole } from '@internal/test-setup';

failOnUnexpectedConsole();
