import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';

/**
 * Tells someone signed in without GitHub (company sign-in) that this decision needs their own
 * GitHub account: the environment takes reviews from GitHub accounts, and the portal sends the
 * review with their token. With `onConnect`, a button to open GitHub's consent again.
 */
export function ConnectGithub(props: {
  verb: string;
  environment: string;
  /** What happened on the last attempt, e.g. the popup was closed. */
  detail?: string;
  onConnect?: () => void;
}) {
  const { verb, environment, detail, onConnect } = props;
  return (
    <Alert
      severity="info"
      data-testid="connect-github"
      action={
        onConnect && (
          <Button
            color="inherit"
            size="small"
            onClick={onConnect}
            data-testid="github-sign-in"
          >
            Connect GitHub
          </Button>
        )
      }
    >
      <AlertTitle>
        Connect GitHub to {verb.toLocaleLowerCase('en-US')}
      </AlertTitle>
      {environment} takes reviews from your GitHub account
      {detail ? ` (${detail})` : ': confirming opens GitHub to connect it'}.
    </Alert>
  );
}
