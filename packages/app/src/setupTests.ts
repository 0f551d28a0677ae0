import '@testing-library/jest-dom';
import { failOnUnexpectedConsole } from '@internal/test-setup';

failOnUnexpectedConsole();
