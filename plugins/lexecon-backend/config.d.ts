import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Lexecon Release & Compliance plugins. */
  lexecon?: {
    github?: {
      /**
       * Host of the `integrations.github` entry whose credentials (token or GitHub App) the
       * plugin uses. Defaults to `github.com`.
       * @visibility backend
       */
      host?: string;
      /**
       * Organisations (or users) whose repositories `github.com/project-slug` may name; `*`
       * matches any run of characters, case does not matter. An entity outside the list is not
       * read and its deploys cannot be decided here. Unset: every organisation the credentials
       * reach.
       * @visibility backend
       */
      allowedOrganizations?: string[];
      /**
       * The conditional-request cache (ETags) that makes unchanged GitHub reads cost no rate
       * budget. It lives in each backend process.
       */
      etagCache?: {
        /**
         * An answer GitHub has not confirmed for this long is dropped. Defaults to 24 hours.
         * @visibility backend
         */
        ttl?: HumanDuration;
        /**
         * Answers kept at most, least recently used dropped first. Defaults to 20000.
         * @visibility backend
         */
        maxEntries?: number;
      };
    };
    refresh?: {
      /**
       * How often each source's snapshots are refreshed from upstream, unless the source's own
       * schedule (`lexecon.sources.<id>.schedule`) says otherwise. Defaults to 5 minutes.
       * @visibility backend
       */
      frequency?: HumanDuration;
      /**
       * How long one refresh of all covered entities may take. Defaults to 10 minutes.
       * @visibility backend
       */
      timeout?: HumanDuration;
      /**
       * Delay before the first scheduled refresh after start-up. Defaults to 10 seconds.
       * @visibility backend
       */
      initialDelay?: HumanDuration;
      /**
       * A snapshot older than this is shown as stale. Defaults to 30 minutes.
       * @visibility backend
       */
      staleAfter?: HumanDuration;
      /**
       * How long a page view waits for a never-fetched section before answering with its
       * status. Defaults to 25 seconds.
       * @visibility backend
       */
      onDemandWait?: HumanDuration;
      /**
       * A manual refresh arriving sooner than this after the source's last fetch is answered
       * from the snapshot and fetched once when the interval is over. Defaults to 30 seconds.
       * @visibility backend
       */
      minInterval?: HumanDuration;
      /**
       * The same for the refresh a GitHub webhook starts. GitHub announces a change that has
       * happened, so the wait only gathers a burst of deliveries into one fetch. Defaults to 2
       * seconds.
       * @visibility backend
       */
      webhookMinInterval?: HumanDuration;
      /**
       * Entities one source's scheduled cycle refreshes in parallel. Defaults to 4.
       * @visibility backend
       */
      concurrency?: number;
    };
    /**
     * Per-source settings, by source id (github, kubernetes, github-approvals, unleash, datadog,
     * health, aws-cost, opencost, gcp-billing, datadog-decisions).
     */
    sources?: {
      [sourceId: string]: {
        /**
         * The source's scheduled refresh; unset fields take the `lexecon.refresh` values.
         * @visibility backend
         */
        schedule?: {
          frequency?: HumanDuration;
          timeout?: HumanDuration;
          initialDelay?: HumanDuration;
        };
      };
    };
    /**
     * Timeout of one upstream request, in milliseconds. Defaults to 10000.
     * @visibility backend
     */
    upstreamTimeoutMs?: number;
    /**
     * Retries of one upstream request on 429, 5xx, timeouts and resets. Defaults to 2.
     * @visibility backend
     */
    upstreamRetries?: number;
    /**
     * How many days of deploy history to read from GitHub. Defaults to 90.
     * @visibility backend
     */
    historyDays?: number;
    /** Delivery and CI health (DORA keys, CI pass rate, build durations, flaky jobs). */
    delivery?: {
      /**
       * How long the CI runs read from GitHub (each attempt with its jobs and steps) are kept;
       * older runs are dropped at the next scheduled read. Defaults to { months: 13 }.
       * @visibility backend
       */
      retention?: HumanDuration;
      /**
       * An incident starting at most this many minutes after a production deploy counts the
       * deploy as failed (change failure rate). Defaults to `lexecon.sla.changeWindowMinutes`.
       * @visibility backend
       */
      incidentWindowMinutes?: number;
      /**
       * The window of a delivery view or portfolio that names none: `30d`, `90d` or `180d`.
       * Defaults to `90d`.
       * @visibility backend
       */
      defaultWindow?: '30d' | '90d' | '180d';
    };
    audit?: {
      /**
       * Key of the audit trail's HMAC-SHA256 hash chain: a random secret of at least 32
       * characters (e.g. `openssl rand -hex 32`). Records verify only with the key they were
       * written with, so keep it across restarts and replicas. Required in production; a key
       * starting with `insecure-dev-` (the sandbox's) is refused there.
       * @visibility secret
       */
      hmacKey?: string;
    };
    permissions?: {
      /**
       * Catalog groups whose members may register, refresh and delete catalog locations and
       * entities (read by the app's permission policy; nobody else may). Whoever holds this can
       * declare who the approvers are. Defaults to `group:default/portal-admins`.
       * @visibility backend
       */
      adminGroups?: string[];
    };
    evidence?: {
      /**
       * Catalog groups whose members own evidence: they read it and attach or mark it (read by
       * the app's permission policy). Defaults to `group:default/lexecon-engineering` and
       * `group:default/portal-admins`. Auditors and release approvers read it too.
       * @visibility backend
       */
      ownerGroups?: string[];
      /**
       * Path of a JSON control catalog replacing the shipped Lexecon catalog (an array of
       * controls, each with its evidence items). Validated at startup.
       * @visibility backend
       */
      catalogFile?: string;
      /**
       * The control catalog inline, replacing the shipped one (same shape as catalogFile).
       * Backend only, like every key without a visibility.
       */
      catalog?: Array<{
        id: string;
        framework: 'soc2' | 'gdpr';
        title: string;
        description: string;
        items: Array<{
          id: string;
          title: string;
          source: string;
          cadence: 'continuous' | 'daily' | 'monthly' | 'quarterly' | 'annual';
          owner: string;
          rule: string;
        }>;
      }>;
      /**
       * How long before an item expires it shows as due soon, e.g. `{ days: 14 }`. Defaults to
       * 14 days.
       * @visibility backend
       */
      dueSoonLead?: { days?: number; hours?: number };
      /** Documents and records owners attach to evidence items. */
      uploads?: {
        /**
         * The largest attachment accepted, in bytes; a larger one is refused (413). Defaults to
         * 10485760 (10 MiB).
         * @visibility backend
         */
        maxBytes?: number;
      };
      gdpr?: {
        /**
         * How a data subject request's month is counted: `calendar-month` (the same day of the next
         * month, or its last day; the default) or `days-30`. Stored with each request when it is
         * received: changing it moves no existing deadline.
         * @visibility backend
         */
        deadlineRule?: 'calendar-month' | 'days-30';
      };
      /**
       * The Ed25519 private key (PEM) evidence packages are signed with; its public half is
       * served at /v1/evidence/signing-key. Production refuses the sandbox's key and, without
       * one, signs no package. Make one with `openssl genpkey -algorithm ed25519`.
       * @visibility secret
       */
      signingKey?: string;
    };
    approvals?: {
      /**
       * Catalog groups whose members may approve production deploys (read by the app's
       * permission policy). Defaults to `group:default/release-approvers`.
       * @visibility backend
       */
      approverGroups?: string[];
      /**
       * Catalog groups whose members may read the approvals audit trail, besides the approver
       * groups. Defaults to `group:default/auditors`.
       * @visibility backend
       */
      auditReaderGroups?: string[];
      /**
       * Minimum release readiness score (0-100) to pass the gate. Defaults to 90.
       * @visibility frontend
       */
      readinessGate?: number;
      /**
       * Catalog groups whose members may approve a release below the readiness gate (or with an
       * input missing), with a written reason recorded as an exception in the audit trail.
       * Defaults to `group:default/release-managers`.
       * @visibility backend
       */
      overrideGroups?: string[];
      /**
       * Workflow file whose last 10 completed runs give the CI pass rate. Defaults to `test.yml`.
       * @visibility backend
       */
      ciWorkflow?: string;
      /**
       * How long a decision in progress holds its run. A decision still unfinished after this
       * (its replica stopped between claiming the run and hearing from GitHub) is taken over by
       * the next request, which first checks whether the abandoned review reached GitHub. Keep
       * it above the GitHub timeout (`upstreamTimeoutMs`). Positive; defaults to 2 minutes.
       * @visibility backend
       */
      claimExpiry?: HumanDuration;
      /**
       * Per protected environment: how approvals reach GitHub, and segregation of duties. Names
       * match GitHub's environments case-insensitively, as GitHub does.
       */
      environments?: {
        [environment: string]: {
          /**
           * `github-reviewers` (default): the user's own GitHub token reviews the deploy.
           * `portal-gate`: the portal's GitHub App answers a custom deployment protection rule.
           * @visibility backend
           */
          mode?: 'github-reviewers' | 'portal-gate';
          /**
           * Refuse approvals by whoever triggered the run or had a hand in its changes (commit
           * author, committer or co-author, pull request author or merger), and every approval
           * of a change set the portal cannot read in full. Defaults to true for `production`,
           * for environments with required reviewers and in `portal-gate` mode; set false to
           * turn it off.
           * @visibility backend
           */
          segregationOfDuties?: boolean;
        };
      };
    };
    kubernetes?: {
      /**
       * Namespaces an entity's Helm releases may be read from (`*` matches any run of
       * characters). Unset: every namespace the service accounts may read.
       * @visibility backend
       */
      allowedNamespaces?: string[];
      /** Clusters holding the Helm releases, each serving one or more environments. */
      clusters?: Array<{
        /**
         * Name shown in messages.
         * @visibility backend
         */
        name: string;
        /**
         * URL of the Kubernetes API server.
         * @visibility backend
         */
        url: string;
        /**
         * Environments (as named in `lexecon.io/environments`) whose releases live here.
         * @visibility backend
         */
        environments: string[];
        /**
         * Bearer token of a service account allowed to list Secrets in the release namespaces.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * PEM-encoded CA certificate of the API server.
         * @visibility secret
         */
        caData?: string;
        /**
         * Path to a PEM file with the CA certificate of the API server.
         * @visibility backend
         */
        caFile?: string;
        /**
         * Skip TLS verification (development only).
         * @visibility backend
         */
        skipTLSVerify?: boolean;
      }>;
    };
    /** The services' own health endpoints (`lexecon.io/health-url`). */
    health?: {
      /**
       * Hosts a health URL may point at: `host`, `host:port`, `*.domain[:port]` or an IP
       * address (IPv6 in brackets); without a port, the scheme's default port. A `*.` entry
       * reaches public addresses only; an exact name may also resolve to private and loopback
       * addresses; link-local ones (cloud metadata) only when listed as an address. Unset or
       * empty: no health URL is read.
       * @visibility backend
       */
      allowedHosts?: string[];
    };
    /** Unleash Admin API, for feature flags and their change history. Omit to switch flags off. */
    unleash?: {
      /**
       * Unleash projects `lexecon.io/unleash-project` may name (`*` matches any run of
       * characters). Unset: every project the token may read.
       * @visibility backend
       */
      allowedProjects?: string[];
      /**
       * Base URL of the Unleash server, e.g. `https://unleash.example.com` (without `/api`).
       * @visibility backend
       */
      baseUrl: string;
      /**
       * Base URL of the Unleash web UI for links to flags, if it differs from `baseUrl`.
       * @visibility backend
       */
      webUrl?: string;
      /**
       * Admin, personal (`user:…`) or service-account token, sent raw in `Authorization`.
       * @visibility secret
       */
      apiToken: string;
      /**
       * Days of flag change events to read. Defaults to 90.
       * @visibility backend
       */
      eventsDays?: number;
    };
    /** Datadog API, for SLOs, monitors and incidents. Omit to switch the SLA section off. */
    datadog?: {
      /**
       * Datadog site, e.g. `datadoghq.com` (default), `datadoghq.eu`, `us5.datadoghq.com`.
       * @visibility backend
       */
      site?: string;
      /**
       * Full API base URL; overrides `site` (used for the sandbox or a proxy).
       * @visibility backend
       */
      baseUrl?: string;
      /**
       * Base URL of the Datadog web app for links to monitors, incidents and SLOs. Defaults to
       * `https://app.<site>`, or to `baseUrl` when that is set.
       * @visibility backend
       */
      appUrl?: string;
      /**
       * Datadog API key (`DD-API-KEY`).
       * @visibility secret
       */
      apiKey: string;
      /**
       * Datadog application key (`DD-APPLICATION-KEY`) with `slos_read`, `monitors_read`,
       * `incident_read` and, for decision counts, `timeseries_query`.
       * @visibility secret
       */
      applicationKey: string;
      /**
       * The count metric of a service's governance decisions, e.g. `lexecon.decisions`: summed
       * per UTC day over the entity's `lexecon.io/datadog-slo-tags` for the cost per 1,000
       * decisions. Unset, no decision count is read.
       * @visibility backend
       */
      decisionMetric?: string;
    };
    /** AWS, for what each service costs. */
    aws?: {
      /**
       * AWS Cost Explorer (`lexecon.io/aws-cost-tags`), read once a day into stored daily facts.
       * Omit to switch it off. Credentials come from the AWS SDK's default provider chain
       * (environment, shared profile, web identity, instance or task role) and need
       * `ce:GetCostAndUsage`.
       */
      costExplorer?: {
        /**
         * Region requests are signed for. Defaults to `us-east-1`, Cost Explorer's only region
         * outside China.
         * @visibility backend
         */
        region?: string;
        /**
         * Another endpoint than AWS's own, e.g. the sandbox's `http://127.0.0.1:7106`.
         * @visibility backend
         */
        endpoint?: string;
        /**
         * Billed requests (each page costs $0.01) all replicas together may make per UTC day;
         * once used up, the rest waits for the next day's run. Defaults to 100; 0 reads nothing.
         * @visibility backend
         */
        maxRequestsPerDay?: number;
        /** The cost allocation tags that name the service and the component. */
        tags?: {
          /**
           * The tag whose values `lexecon.io/aws-cost-tags` lists. Defaults to `service`.
           * @visibility backend
           */
          service?: string;
          /**
           * The tag costs are split by. Defaults to `component`.
           * @visibility backend
           */
          component?: string;
        };
        /**
         * A fixed access key instead of the default provider chain: for the sandbox only; in
         * AWS, give the backend a role.
         */
        credentials?: {
          /** @visibility backend */
          accessKeyId: string;
          /** @visibility secret */
          secretAccessKey: string;
        };
      };
    };
    /** Google Cloud, for what each service costs there. */
    gcp?: {
      /**
       * The Cloud Billing export to BigQuery (`lexecon.io/gcp-billing-labels`), queried once a day
       * into stored daily facts net of credits. Omit to switch it off. Credentials come from
       * Application Default Credentials (Workload Identity, GOOGLE_APPLICATION_CREDENTIALS) and
       * need roles/bigquery.jobUser on `projectId` and roles/bigquery.dataViewer on the dataset.
       */
      billing?: {
        /**
         * The project holding the export dataset; queries run (and are billed) there.
         * @visibility backend
         */
        projectId: string;
        /** @visibility backend */
        dataset: string;
        /**
         * The standard export table (`gcp_billing_export_v1_<BILLING_ACCOUNT_ID>`) or a view of it.
         * @visibility backend
         */
        table: string;
        /**
         * The dataset's location, e.g. `US` or `EU`.
         * @visibility backend
         */
        location?: string;
        /**
         * Bytes one query may bill; BigQuery fails a query that would bill more. Defaults to
         * 10 GiB.
         * @visibility backend
         */
        maximumBytesBilled?: number;
        /**
         * The label costs are split by. Defaults to `component`.
         * @visibility backend
         */
        componentLabel?: string;
        /**
         * Another API root than Google's, e.g. the sandbox's `http://127.0.0.1:7108`.
         * @visibility backend
         */
        apiEndpoint?: string;
        /**
         * A fixed OAuth access token instead of Application Default Credentials: for the sandbox
         * only.
         * @visibility secret
         */
        accessToken?: string;
      };
    };
    /**
     * OpenCost (`lexecon.io/kubernetes-namespaces`), read once a day into stored daily facts
     * (kubernetes-compute, -storage, -network), per-workload requests and use, and each
     * service's share of idle cost. Omit to switch it off. The namespaces read are bounded by
     * `lexecon.kubernetes.allowedNamespaces`.
     */
    opencost?: {
      /**
       * OpenCost's API, e.g. `http://opencost.opencost:9003` (it has no authentication; keep it
       * inside the cluster).
       * @visibility backend
       */
      baseUrl?: string;
      /**
       * The currency OpenCost's prices are configured in. Defaults to `USD`.
       * @visibility backend
       */
      currency?: string;
    };
    sla?: {
      /**
       * A deploy or production flag change at most this many minutes before an incident is
       * shown as the change that preceded it. Defaults to 120.
       * @visibility frontend
       */
      changeWindowMinutes?: number;
    };
    /**
     * Where the notifications Slack module's calls go instead of `https://slack.com/api/` (it has
     * no setting of its own; packages/backend routes its connections): the sandbox's Slack.
     * Production leaves it unset.
     */
    slackApi?: {
      /**
       * An https URL whose path is `/api/`, e.g. `https://127.0.0.1:7109/api/`.
       * @visibility backend
       */
      url: string;
      /**
       * A PEM file of the CA that server's certificate is checked against (instead of Node's roots).
       * @visibility backend
       */
      caFile?: string;
    };
    /** Notifications (the bell), sent through Backstage's notifications backend. */
    notifications?: {
      /**
       * The group told when a service's SLA turns at risk or breached, or one of its monitors
       * starts alerting, as an entity ref. Defaults to `group:default/oncall`. Approvers of a
       * waiting run are the members of `lexecon.approvals.approverGroups` who may decide it;
       * readiness, deploy and rollback notifications go to the service's owner.
       * @visibility backend
       */
      onCallGroup?: string;
    };
  };
}
