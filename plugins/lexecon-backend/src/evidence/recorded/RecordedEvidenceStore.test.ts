import { TestDatabases } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import {
  APPROVALS_TEST_DATABASES,
  migratedDatabase,
} from '../../approvals/__testUtils__/migratedDatabase';
import { RecordedEvidenceStore } from './RecordedEvidenceStore';

const databases = TestDatabases.create({ ids: APPROVALS_TEST_DATABASES });

describe.each(databases.eachSupportedId())(
  'RecordedEvidenceStore.inWindow on %s',
  id => {
    it('gives the attachments effective in the window and, per item, the one in force when it began', async () => {
      const knex = await migratedDatabase(databases, id);
      const store = new RecordedEvidenceStore(knex, {
        hmacKey: 'test-hmac-key-of-at-least-32-characters!',
      });
      const attach = (itemId: string, effectiveDate: string) => {
        const content = Buffer.from(`%PDF-1.7\n${itemId} ${effectiveDate}\n`);
        return store.attach({
          itemId,
          fileName: `${itemId}-${effectiveDate}.pdf`,
          mediaType: 'application/pdf',
          content,
          sha256: createHash('sha256').update(content).digest('hex'),
          effectiveDate,
          by: 'user:default/sam-okafor',
        });
      };
      await attach('a1.2-backup-restore', '2025-12-01'); // superseded before the window
      const inForce = await attach('a1.2-backup-restore', '2026-01-15');
      const during = await attach('a1.2-backup-restore', '2026-02-20');
      const training = await attach('c1-security-training', '2025-11-30');
      await attach('a1.2-dr-test', '2026-04-02'); // after the window

      const found = await store.inWindow(
        '2026-02-01T00:00:00.000Z',
        '2026-04-01T00:00:00.000Z',
      );
      expect(found.map(a => a.id)).toEqual([
        training.id,
        inForce.id,
        during.id,
      ]);
    });
  },
);
