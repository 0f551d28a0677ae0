import express from 'express';
import { escapeHtml, htmlPage } from '../github/html';
import type { Portfolio } from '../portfolio/portfolio';

/**
 * The web pages the portal links to, at the paths the real products use: Datadog's
 * `/monitors/:id`, `/incidents/:publicId` and `/slo?slo_id=`, Unleash's
 * `/projects/:project/features/:name`. Small HTML, so a link from the portal lands somewhere real.
 */
export function datadogWebPages(portfolio: Portfolio): express.Router {
  const router = express.Router();
  const send = (res: express.Response, title: string, body: string) =>
    res.type('html').send(htmlPage(title, body, 'Datadog'));

  router.get('/monitors/:id', (req, res) => {
    const monitor = portfolio.monitors.find(
      m => String(m.id) === req.params.id,
    );
    if (!monitor) {
      res.status(404).type('text').send('Monitor not found');
      return;
    }
    send(
      res,
      monitor.name,
      `<h1>${escapeHtml(monitor.name)}</h1><p>State <strong>${escapeHtml(
        monitor.overallState,
      )}</strong> since ${new Date(
        monitor.stateChangedAt,
      ).toISOString()}</p><p><code>${escapeHtml(
        monitor.query,
      )}</code></p><pre>${escapeHtml(monitor.message)}</pre>`,
    );
  });

  router.get('/incidents/:publicId', (req, res) => {
    const incident = portfolio.incidents.find(
      i => String(i.publicId) === req.params.publicId,
    );
    if (!incident) {
      res.status(404).type('text').send('Incident not found');
      return;
    }
    send(
      res,
      `#${incident.publicId} ${incident.title}`,
      `<h1>#${incident.publicId} ${escapeHtml(
        incident.title,
      )}</h1><p>${escapeHtml(incident.severity)} · ${escapeHtml(
        incident.state,
      )} · service ${escapeHtml(incident.service)}</p><p>Declared ${new Date(
        incident.created,
      ).toISOString()} by ${escapeHtml(incident.declaredBy)}${
        incident.resolved
          ? `, resolved ${new Date(incident.resolved).toISOString()}`
          : ''
      }</p>`,
    );
  });

  router.get('/slo', (req, res) => {
    const slo = portfolio.slos.find(s => s.id === req.query.slo_id);
    if (!slo) {
      res.status(404).type('text').send('SLO not found');
      return;
    }
    send(
      res,
      slo.name,
      `<h1>${escapeHtml(slo.name)}</h1><p>${escapeHtml(
        slo.description,
      )}</p><p>Target ${slo.target}% over ${slo.timeframe} · tags ${escapeHtml(
        slo.tags.join(', '),
      )}</p>`,
    );
  });
  return router;
}

export function unleashWebPages(portfolio: Portfolio): express.Router {
  const router = express.Router();
  router.get('/projects/:projectId/features/:name', (req, res) => {
    const obs = portfolio.project(req.params.projectId);
    const flag = obs?.flags.find(f => f.name === req.params.name);
    if (!obs || !flag) {
      res.status(404).type('text').send('Feature flag not found');
      return;
    }
    const environments = flag.environments
      .map(
        e =>
          `<li>${escapeHtml(e.name)}: ${e.enabled ? 'on' : 'off'} (${
            e.strategies.length
          } strategies)</li>`,
      )
      .join('');
    const events = obs.flagEvents
      .filter(e => e.featureName === flag.name)
      .slice(0, 20)
      .map(
        e =>
          `<li>${e.createdAt} ${escapeHtml(e.type)}${
            e.environment ? ` in ${escapeHtml(e.environment)}` : ''
          } by ${escapeHtml(e.createdBy)}</li>`,
      )
      .join('');
    res
      .type('html')
      .send(
        htmlPage(
          flag.name,
          `<h1>${escapeHtml(flag.name)}</h1><p>${escapeHtml(flag.description)}${
            flag.stale ? ' · <strong>stale</strong>' : ''
          }</p><ul>${environments}</ul><h2>Events</h2><ul>${events}</ul>`,
          'Unleash',
        ),
      );
  });
  return router;
}
