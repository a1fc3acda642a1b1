// `puente federation invite | join | revoke | show`: membership of the node's federation, kept in its signed
// manifest (federation.json in the data directory).
import { readFileSync, writeFileSync } from "node:fs";
import type { Command, Option } from "commander";
import { loadManifest, type Manifest, parseManifest, validateMember } from "../federation/manifest.ts";
import {
  DEFAULT_FEDERATION,
  describeManifest,
  inviteMember,
  joinFederation,
  revokeFromFederation,
} from "../federation/membership.ts";
import { loadConfig } from "../node/config.ts";
import { CliUsageError } from "./errors.ts";

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CliUsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

export function addFederationCommands(program: Command, dirOption: () => Option): void {
  const federation = program.command("federation").description("membership of this node's federation");

  federation
    .command("invite")
    .description("add a node to the federation (founding it if this node has none) and sign the new version")
    .addOption(dirOption())
    .requiredOption("--node-id <id>", "the invited node's id")
    .requiredOption("--agency <name>", "the invited node's agency")
    .requiredOption("--country <cc>", "the invited node's country (ISO 3166-1 alpha-2)")
    .requiredOption("--endpoint <url>", "the invited node's base URL, e.g. https://puente.rcmp.example:7400")
    .requiredOption("--public-key <file>", "the invited node's public key (keys/node.pub of that node)")
    .option("--role <role...>", "the invited node's roles", ["member"])
    .option("--federation <name>", "the federation's name, when this invitation founds it", DEFAULT_FEDERATION)
    .option("--out <file>", "also write the new manifest here, to hand to the invited node")
    .action(async (options) => {
      const member = validateMember(
        {
          nodeId: options.nodeId,
          agency: options.agency,
          country: String(options.country).toUpperCase(),
          endpoint: options.endpoint,
          publicKey: readText(options.publicKey, "public key"),
          roles: options.role,
        },
        "invitation",
      );
      const manifest = await inviteMember(options.dir, member, { federation: options.federation });
      if (options.out) writeFileSync(options.out, `${JSON.stringify(manifest, null, 2)}\n`);
      console.log(describeManifest(manifest));
      if (options.out)
        console.log(`\nHand ${options.out} to ${member.nodeId}; it runs: puente federation join ${options.out}`);
    });

  federation
    .command("join")
    .description("join with a manifest that lists this node (from an invitation), countersigning it")
    .argument("<manifest>", "the manifest file the inviting node wrote with --out")
    .addOption(dirOption())
    .action(async (file, options) => {
      const manifest: Manifest = parseManifest(readText(file, "manifest"), file);
      console.log(describeManifest(await joinFederation(options.dir, manifest)));
    });

  federation
    .command("revoke")
    .description("remove a node from the federation; this node refuses it from its next request on")
    .argument("<node-id>", "the node to revoke")
    .addOption(dirOption())
    .requiredOption("--reason <text>", "why, for the record")
    .action(async (nodeId, options) => {
      console.log(describeManifest(await revokeFromFederation(options.dir, nodeId, options.reason)));
    });

  federation
    .command("show")
    .description("print the federation manifest this node holds")
    .addOption(dirOption())
    .action((options) => {
      const { dir } = loadConfig(options.dir);
      const manifest = loadManifest(dir);
      if (!manifest) throw new CliUsageError(`${dir} has not joined a federation (no federation.json)`);
      console.log(describeManifest(manifest));
    });
}
