// npm run reviewer:create -- --email a@b.c --name "Ann" [--role admin] [--password …]
// Creates a reviewer account; asks for whatever is missing when run in a terminal.
import { stdin, stdout } from "node:process";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { createReviewer, generatePassword } from "../lib/auth/reviewers";
import { reviewerCreateSchema } from "../lib/auth/schemas";
import { closeDatabase, migrateDatabase } from "../lib/db";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "reviewer" },
    password: { type: "string" },
    "generate-password": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  stdout.write(`usage: npm run reviewer:create -- --email EMAIL --name NAME [--role reviewer|admin] [--password PW | --generate-password]
Without flags (in a terminal) it asks. The first admin of a fresh install: --role admin.
`);
  process.exit(0);
}

/** Reads a line without echoing it (passwords). */
async function askHidden(question: string): Promise<string> {
  stdout.write(question);
  const rl = createInterface({ input: stdin, output: stdout, terminal: true });
  const write = (rl as unknown as { _writeToOutput?: (s: string) => void })._writeToOutput;
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  try {
    return await rl.question("");
  } finally {
    if (write) (rl as unknown as { _writeToOutput: typeof write })._writeToOutput = write;
    rl.close();
    stdout.write("\n");
  }
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: stdin, output: stdout });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

let failed = false;
try {
  const interactive = stdin.isTTY;
  const email = values.email ?? (interactive ? await ask("Email: ") : "");
  const name = values.name ?? (interactive ? await ask("Name: ") : "");
  let password = values.password;
  let generated = false;
  if (!password && (values["generate-password"] || !interactive)) {
    password = generatePassword();
    generated = true;
  }
  if (!password) {
    password = await askHidden("Password (at least 12 characters, empty = generate one): ");
    if (!password) {
      password = generatePassword();
      generated = true;
    } else if ((await askHidden("Repeat password: ")) !== password) {
      throw new Error("the passwords do not match");
    }
  }
  const input = reviewerCreateSchema.parse({ email, name, role: values.role, password });
  await migrateDatabase();
  const reviewer = await createReviewer({ ...input, password }, null);
  stdout.write(
    `created ${reviewer.role} ${reviewer.email}${generated ? `\npassword (shown once): ${password}` : ""}\n`,
  );
} catch (err) {
  const e = err as Error & { issues?: { path: PropertyKey[]; message: string }[] };
  const message = e.issues ? e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : e.message;
  process.stderr.write(`reviewer:create failed: ${message}\n`);
  failed = true;
} finally {
  await closeDatabase();
}
// Explicit: closing the embedded database resets process.exitCode.
process.exit(failed ? 1 : 0);
