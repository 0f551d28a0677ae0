import { checkUploadType } from './detectUploadType';

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
]);
const PDF = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n', 'latin1');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]);

describe('checkUploadType', () => {
  it('accepts each allowed type whose content, name and declaration agree', () => {
    const accepted = [
      ['restore.pdf', 'application/pdf', PDF],
      ['review.png', 'image/png', PNG],
      ['badge.JPG', 'image/jpeg', JPEG],
      [
        'training.csv',
        'text/csv',
        Buffer.from('name,completed\nAlex,2026-01-10\n'),
      ],
      [
        'notes.txt',
        'text/plain; charset=utf-8',
        Buffer.from('Restored in 12 min'),
      ],
      ['dpia.md', 'text/markdown', Buffer.from('# DPIA\n\nRisks…\n')],
      ['vendors.json', 'application/json', Buffer.from('{"vendors":[]}')],
    ] as const;
    for (const [fileName, declaredType, content] of accepted) {
      expect(checkUploadType({ fileName, declaredType, content })).toEqual({
        ok: true,
        mediaType: declaredType.split(';')[0],
      });
    }
  });

  it('takes the type from the extension when the browser declares none', () => {
    expect(
      checkUploadType({
        fileName: 'training.csv',
        declaredType: 'application/octet-stream',
        content: Buffer.from('a,b\n'),
      }),
    ).toEqual({ ok: true, mediaType: 'text/csv' });
  });

  it('refuses a PNG renamed .pdf, by its content', () => {
    expect(
      checkUploadType({
        fileName: 'pentest.pdf',
        declaredType: 'application/pdf',
        content: PNG,
      }),
    ).toEqual({
      ok: false,
      message:
        "The content of 'pentest.pdf' is a PNG image, not a PDF document as declared",
    });
  });

  it('refuses binary content sent as text, and JSON that does not parse', () => {
    expect(
      checkUploadType({
        fileName: 'log.txt',
        declaredType: 'text/plain',
        content: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]),
      }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining('not a type the portal recognises'),
    });
    expect(
      checkUploadType({
        fileName: 'vendors.json',
        declaredType: 'application/json',
        content: Buffer.from('{"vendors":'),
      }),
    ).toEqual({
      ok: false,
      message: "The content of 'vendors.json' is not valid JSON",
    });
  });

  it('refuses a type off the allow-list and a name that contradicts the type', () => {
    expect(
      checkUploadType({
        fileName: 'setup.exe',
        declaredType: 'application/x-msdownload',
        content: Buffer.from('MZ'),
      }),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^The type application\/x-msdownload is not allowed; allowed: application\/pdf, /,
      ),
    });
    expect(
      checkUploadType({
        fileName: 'review.pdf',
        declaredType: 'image/png',
        content: PNG,
      }),
    ).toEqual({
      ok: false,
      message:
        "The file name 'review.pdf' does not end in an extension of image/png (.png)",
    });
  });
});
