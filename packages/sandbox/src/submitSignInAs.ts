/**
 * Picks a person on a "Sign in as" page the way a browser does: finds their form in `html`,
 * posts its hidden fields to `action` (resolved against `pageUrl`) and returns the redirect. For
 * tests of anything that signs in through the sandbox.
 */
export async function submitSignInAs(
  pageUrl: string,
  html: string,
  login: string,
): Promise<Response> {
  const form = new RegExp(
    `<form method="post" action="([^"]+)">((?:(?!</form>).)*data-testid="sign-in-${login}"(?:(?!</form>).)*)</form>`,
  ).exec(html);
  if (!form) throw new Error(`No sign-in form for ${login}`);
  const fields = new URLSearchParams();
  for (const m of form[2].matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
  )) {
    fields.set(m[1], m[2].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  }
  return fetch(new URL(form[1], pageUrl), {
    method: 'POST',
    body: fields,
    redirect: 'manual',
  });
}
