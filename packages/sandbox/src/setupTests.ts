import { failOnUnexpectedConsole } from '@internal/test-setup';

failOnUnexpectedConsole();

// These tests run real servers and databases (the sandbox, SQLite, PostgreSQL): Jest's default of
// 5 s a test is a speed assertion that fails whenever the machine is busy (a cost-analysis test
// once took longer on a loaded CI machine). Speed is the benchmark's to measure; this only stops a
// test that hangs.
jest.setTimeout(60_000);
