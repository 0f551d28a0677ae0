// Checks Kubernetes objects against the Kubernetes OpenAPI schema with kubernetes-models. Run as
// its own Node process: kubernetes-models is ESM only, which the backend's Jest (CommonJS) cannot
// load. Reads a JSON array of objects on stdin; writes a JSON array with, for each object, the
// schema's complaint or null.
import { text } from 'node:stream/consumers';

async function problemWith(object) {
  let models;
  try {
    // kubernetes-models has one module per API version, at the apiVersion's path.
    models = await import(`kubernetes-models/${object.apiVersion}`);
  } catch {
    return `kubernetes-models has no API version ${object.apiVersion}`;
  }
  const Model = models[object.kind];
  if (typeof Model !== 'function') {
    return `kubernetes-models has no ${object.kind} in ${object.apiVersion}`;
  }
  try {
    new Model(object).validate();
    return null;
  } catch (error) {
    return error.message;
  }
}

text(process.stdin)
  .then(async input => {
    const problems = [];
    for (const object of JSON.parse(input)) {
      problems.push(await problemWith(object));
    }
    process.stdout.write(JSON.stringify(problems));
  })
  .catch(error => {
    process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  });
