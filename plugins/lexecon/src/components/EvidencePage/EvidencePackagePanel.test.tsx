import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EvidenceSample } from '@internal/plugin-lexecon-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { lexeconApiRef } from '../../api/LexeconApi';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import { EvidencePackagePanel } from './EvidencePackagePanel';

const FROM = '2026-01-01T10:00:00.000Z';

const sample: EvidenceSample<'changes'> = {
  kind: 'changes',
  generatedAt: '2026-04-01T10:00:00.000Z',
  from: FROM,
  to: '2026-04-01T10:00:00.000Z',
  seed: 'a1b2c3',
  size: 1,
  populationSize: 12,
  method: 'Each row is ranked by SHA-256 of the seed and its key.',
  key: 'service + " " + deploy_id',
  rows: [
    {
      position: 1,
      key: 'component:default/lexecon-api production:run:42',
      rank: 'ab'.repeat(32),
      row: {
        entityRef: 'component:default/lexecon-api',
        deployId: 'production:run:42',
        runId: 42,
        version: 'v1.4.0',
        sha: 'abc',
        startedAt: '2026-03-02T09:00:00Z',
        result: 'success',
        approvedBeforeDeploy: true,
        approverNotAuthor: false,
        exceptions: ['SoD exception'],
      },
    },
  ],
};

async function renderPanel(
  options: ConstructorParameters<typeof FakeLexeconApi>[0],
) {
  const api = new FakeLexeconApi(options);
  await renderInTestApp(
    <TestApiProvider apis={[[lexeconApiRef, api]]}>
      <EvidencePackagePanel from={FROM} />
    </TestApiProvider>,
  );
  return api;
}

describe('EvidencePackagePanel', () => {
  it('draws a sample with the seed typed in and prints the seed with the rows', async () => {
    const api = await renderPanel({ evidenceSample: sample });
    fireEvent.change(screen.getByLabelText('Sample size'), {
      target: { value: '1' },
    });
    fireEvent.change(screen.getByLabelText('Seed'), {
      target: { value: 'a1b2c3' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Draw a sample' }));
    const shown = await screen.findByTestId('evidence-sample');
    expect(api.sampleQueries).toEqual([
      expect.objectContaining({
        kind: 'changes',
        from: FROM,
        size: 1,
        seed: 'a1b2c3',
      }),
    ]);
    expect(
      within(shown).getByTestId('evidence-sample-seed-used'),
    ).toHaveTextContent('a1b2c3');
    expect(shown).toHaveTextContent('1 of 12 rows');
    expect(
      within(shown).getByText(
        'component:default/lexecon-api production:run:42',
      ),
    ).toBeInTheDocument();
  });

  it('asks for a random seed when none is typed, and says why a sample was refused', async () => {
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'InputError',
            message:
              "Invalid request: query parameter 'size' size 25 is larger than the population (12 rows): test the whole population instead",
          },
          response: { statusCode: 400 },
        }),
        { status: 400, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const api = await renderPanel({ evidenceSample: refused });
    fireEvent.click(screen.getByRole('button', { name: 'Draw a sample' }));
    expect(
      await screen.findByText(/test the whole population instead/),
    ).toBeInTheDocument();
    expect(api.sampleQueries[0]).not.toHaveProperty('seed');
    expect(screen.queryByTestId('evidence-sample')).not.toBeInTheDocument();
  });

  it('shows the signing key, warns when it is not one to trust, and downloads the package of the window', async () => {
    const api = await renderPanel({
      signingKey: {
        algorithm: 'Ed25519',
        publicKeyPem:
          '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
        fingerprint: 'f1bc'.repeat(16),
        insecure: "the sandbox's development key",
      },
      evidencePackage: 'zip bytes',
    });
    expect(await screen.findByTestId('evidence-signing-key')).toHaveTextContent(
      'f1bc'.repeat(16),
    );
    expect(screen.getByTestId('evidence-key-insecure')).toHaveTextContent(
      "Not a key to trust: the sandbox's development key",
    );
    const saved: string[] = [];
    Object.assign(URL, {
      createObjectURL: jest.fn(() => 'blob:test/0'),
      revokeObjectURL: jest.fn(),
    });
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function click(this: HTMLAnchorElement) {
        saved.push(this.download);
      });
    fireEvent.click(screen.getByRole('button', { name: 'Download package' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toMatch(
      /^lexecon-evidence-2026-01-01-\d{4}-\d\d-\d\d\.zip$/,
    );
    expect(api.packageQueries).toEqual([
      { from: FROM, to: expect.any(String) },
    ]);
  });
});
