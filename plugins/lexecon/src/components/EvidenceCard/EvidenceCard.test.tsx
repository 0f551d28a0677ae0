import { screen } from '@testing-library/react';
import { FakeLexeconApi } from '../../__fixtures__/deployments';
import { evidenceControls } from '../../__fixtures__/evidence';
import { renderWithLexecon } from '../../__testUtils__/render';
import { EvidenceCard } from './EvidenceCard';

const API = 'component:default/lexecon-api';

describe('EvidenceCard', () => {
  it('counts the service’s controls per framework by status in words, and links to the evidence page', async () => {
    const api = new FakeLexeconApi({ evidenceControls });
    await renderWithLexecon(<EvidenceCard entityRef={API} />, api);
    expect(await screen.findByTestId('evidence-card-soc2')).toHaveTextContent(
      'SOC 2: 1 passing, 1 failing',
    );
    expect(screen.getByTestId('evidence-card-gdpr')).toHaveTextContent(
      'GDPR: 1 missing',
    );
    expect(
      screen.getByRole('link', { name: 'Open the evidence of every control' }),
    ).toHaveAttribute('href', '/lexecon/evidence');
    expect(api.evidenceQueries).toEqual([{ service: API }]);
  });

  it('offers Retry when the evidence cannot be read', async () => {
    await renderWithLexecon(
      <EvidenceCard entityRef={API} />,
      new FakeLexeconApi({ evidenceControls: new Error('Evidence is down') }),
    );
    expect(
      await screen.findByText('Error: Evidence is down', { selector: 'h6' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
