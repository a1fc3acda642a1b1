// The `puente` command. Thin: each command parses its options and calls a service; errors become one clear
// message (naming the file, line and field where there is one) and a non-zero exit code.
import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { totp } from "../auth/totp.ts";
import { runDemo } from "../demo/demo.ts";
import { USE_RESTRICTIONS } from "../model/types.ts";
import { initNode } from "../node/init.ts";
import { openNode } from "../node/node.ts";
import { ROLES } from "../policy/roles.ts";
import { addAuditCommands } from "./audit-command.ts";
import { reportError } from "./errors.ts";
import { addFederationCommands } from "./federation-command.ts";
import { importCommand } from "./import-command.ts";
import { matchCommand } from "./match-command.ts";
import { generatePassword } from "./passwords.ts";
import { serveNode } from "./serve.ts";

const DEFAULT_DIR = process.env.PUENTE_DIR ?? "./puente-data";

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new InvalidArgumentError("a port from 0 to 65535");
  return parsed;
}

function positive(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError("a whole number above 0");
  return parsed;
}

const dirOption = () =>
  new Option("-d, --dir <dir>", "the node's data directory (env PUENTE_DIR)").default(DEFAULT_DIR);

export function buildProgram(): Command {
  const program = new Command("puente")
    .description("Puente: a node of the federated criminal-intelligence exchange")
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command("init")
    .description("create a node: configuration file and Ed25519 key pair")
    .addOption(dirOption())
    .requiredOption("--node-id <id>", "the node's id in the federation, e.g. mx-fgr")
    .requiredOption("--country <cc>", "ISO 3166-1 alpha-2 country code, e.g. MX")
    .requiredOption("--agency <name>", "the agency's name")
    .option("--port <port>", "port to listen on", port)
    .option("--host <host>", "address to listen on")
    .action(async (options) => {
      const { configPath, fingerprint } = await initNode(options);
      console.log(`Created ${configPath}\nNode key fingerprint: ${fingerprint}`);
    });

  program
    .command("serve")
    .description("run the node's API")
    .addOption(dirOption())
    .option("--port <port>", "override the configured port", port)
    .action(async (options) => {
      await serveNode(options.dir, options.port);
    });

  program
    .command("migrate")
    .description("bring the node's database to the latest schema (also done at every start)")
    .addOption(dirOption())
    .action(async (options) => {
      const node = await openNode(options.dir);
      console.log(`Database (${node.database.engine}) is up to date.`);
      await node.close();
    });

  program
    .command("import")
    .description("import FollowTheMoney JSON lines or CSV; all or nothing unless told otherwise")
    .argument("<file>", "a .jsonl/.ftm/.json file of FollowTheMoney entities, or a .csv file")
    .addOption(dirOption())
    .addOption(
      new Option("--format <format>", "input format (default: from the file extension)").choices(["ftm", "csv"]),
    )
    .option("--schema <schema>", "CSV: the schema of every row, e.g. Person")
    .option(
      "--map <spec...>",
      "CSV: column=property[:format], e.g. dob=birthDate:DD/MM/YYYY (repeatable or comma-separated)",
    )
    .option("--id <column>", "CSV: the column holding each record's id")
    .option("--dry-run", "validate and count, write nothing")
    .option("--tlp <level>", "markings: TLP 2.0 level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)")
    .option("--grading <grading>", "markings: e.g. B2, admiralty:B2, uk-3x5x2:1/A/P, uk-5x5x5:B/2/1")
    .option("--handling-code <code>", "markings: H0–H3")
    .option("--releasable-countries <list>", "markings: comma-separated country codes")
    .option("--releasable-agencies <list>", "markings: comma-separated agency or node ids")
    .option("--use-restrictions <list>", `markings: comma-separated, of ${USE_RESTRICTIONS.join(", ")}`)
    .option("--legal-basis <text>", "markings: the legal basis the data was collected under")
    .option("--criminal-intelligence", "markings: criminal intelligence under 28 CFR Part 23")
    .option("--reasonable-suspicion <text>", "markings: the justification criminal intelligence needs")
    .option("--review-by <date>", "markings: review date, at most five years ahead")
    .action(importCommand);

  program
    .command("match")
    .description("link two CSV files of person records, or deduplicate one, and write the matching pairs")
    .argument("<left>", "CSV file of records")
    .argument("[right]", "second CSV file; without it, LEFT is deduplicated")
    .requiredOption("--out <file>", "where to write left_id,right_id,score")
    .option("--id <column>", "the id column of both files (default: the line number)")
    .option("--left-id <column>", "the id column of LEFT")
    .option("--right-id <column>", "the id column of RIGHT")
    .option("--map <spec>", "column=property[:format],… for both files (several columns may feed one property)")
    .option("--left-map <spec>", "the map of LEFT")
    .option("--right-map <spec>", "the map of RIGHT")
    .option("--schema <schema>", "the schema of the records", "Person")
    .option("--threshold <t>", "lowest score written (default: the match band, 0.85)", Number)
    .option("--country <cc>", "country of both files, for phone numbers and identifiers")
    .option("--left-country <cc>", "country of LEFT")
    .option("--right-country <cc>", "country of RIGHT")
    .option("--explain", "add an explanation column: each feature's outcome and weight")
    .action(matchCommand);

  const user = program.command("user").description("manage the node's user accounts");
  user
    .command("add")
    .description("create an account with a TOTP second factor")
    .argument("<username>")
    .addOption(dirOption())
    .requiredOption("--roles <roles>", `comma-separated, of ${ROLES.join(", ")}`)
    .option("--display-name <name>")
    .option("--clearance <tlp>", "the most restricted TLP level the user may read (default from the roles)")
    .option("--cfr28-trained", "the user has 28 CFR Part 23 training (may read criminal intelligence)")
    .option("--password-stdin", "read the password from standard input instead of generating one")
    .action(async (username, options) => {
      const password = options.passwordStdin ? readFileSync(0, "utf8").replace(/\r?\n$/u, "") : generatePassword();
      const node = await openNode(options.dir);
      try {
        const created = await node.auth.createAccount({
          username,
          password,
          roles: String(options.roles)
            .split(",")
            .map((role) => role.trim()),
          displayName: options.displayName,
          clearance: options.clearance,
          cfr28Trained: Boolean(options.cfr28Trained),
        });
        console.log(
          `Created ${created.user.username} (${created.user.roles.join(", ")}, clearance ${created.user.clearance})`,
        );
        if (!options.passwordStdin) console.log(`Password (shown once): ${password}`);
        console.log(`TOTP secret (shown once): ${created.totpSecret}\nAuthenticator URI: ${created.otpauthUri}`);
      } finally {
        await node.close();
      }
    });
  user
    .command("list")
    .description("list accounts")
    .addOption(dirOption())
    .action(async (options) => {
      const node = await openNode(options.dir);
      const { UserRepository } = await import("../store/user-repository.ts");
      for (const record of await new UserRepository(node.database.db).listUsers())
        console.log(
          `${record.username}\t${record.roles.join(",")}\t${record.clearance}${record.disabled ? "\tdisabled" : ""}`,
        );
      await node.close();
    });

  program
    .command("token")
    .description("create an API token for a service client")
    .argument("<username>", "the account the token acts as")
    .addOption(dirOption())
    .requiredOption("--name <name>", "what the token is for")
    .action(async (username, options) => {
      const node = await openNode(options.dir);
      try {
        const { token } = await node.auth.createApiToken(username, options.name);
        console.log(`API token (shown once): ${token}`);
      } finally {
        await node.close();
      }
    });

  addFederationCommands(program, dirOption);
  addAuditCommands(program, dirOption);

  program
    .command("totp")
    .description("print the current one-time code for a TOTP secret (for the demo accounts)")
    .argument("<secret>", "base32 TOTP secret")
    .action((secret) => {
      console.log(totp(secret, Date.now()));
    });

  program
    .command("demo")
    .description("start a demo federation of three agency nodes (us, mx, ca) with synthetic data")
    .option("--dir <dir>", "where the demo nodes keep their data", "./demo-data")
    .option("--persons <n>", "persons per node on first start", positive, 5000)
    .option("--base-port <port>", "port of the first node; the others follow", port, 7401)
    .action(async (options) => {
      await runDemo({ dir: options.dir, persons: options.persons, basePort: options.basePort });
    });

  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}
