// `puente audit verify | trace | head | prune`: check the node's whole audit log against its hashes and signed heads
// (naming the first bad entry), name the release a leaked copy came from, sign and print the head of the log now, or
// drop the details of entries past the node's retention (a serving node does that daily by itself).
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import type { Command, Option } from "commander";
import { openNode } from "../node/node.ts";
import { CliUsageError } from "./errors.ts";

export function addAuditCommands(program: Command, dirOption: () => Option): void {
  const audit = program.command("audit").description("the node's tamper-evident audit log");

  audit
    .command("verify")
    .description("check every entry and signed tree head; names the first bad entry")
    .addOption(dirOption())
    .action(async (options) => {
      const node = await openNode(options.dir);
      try {
        const report = await node.audit.verify();
        if (report.problem !== undefined) {
          const where = report.firstBadEntry === undefined ? "" : `first bad entry: ${report.firstBadEntry}: `;
          console.error(`puente: audit log of ${node.config.nodeId}: ${where}${report.problem}`);
          process.exitCode = 1;
        } else
          console.log(
            `audit log of ${node.config.nodeId}: ${report.entries} entries and ${report.heads} signed heads verify`,
          );
      } finally {
        await node.close();
      }
    });

  audit
    .command("trace")
    .description("name the release a leaked copy (any text file) came from: its recipient, by code or value layouts")
    .argument("<file>", "the leaked copy")
    .addOption(dirOption())
    .action(async (file, options) => {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new CliUsageError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const node = await openNode(options.dir);
      try {
        const matches = await node.exchange.traceLeak(text);
        const [best, next] = matches;
        if (!best) {
          console.log(`${file}: no release of ${node.config.nodeId} found in it`);
          return;
        }
        console.log(
          best.attributed
            ? `${file}: came from release ${best.releaseId} to ${best.recipient}`
            : `${file}: cannot be told apart with confidence: the best release agrees on ${best.agreeing} of ${best.marks} marked values, the next on ${next?.agreeing ?? 0}`,
        );
        for (const match of matches.slice(0, 5))
          console.log(
            `release ${match.releaseId} to ${match.recipient} (record ${match.entityId}): ${match.codeFound ? "release code found; " : ""}${match.valuesFound} values, ${match.agreeing} of ${match.marks} marked values in its layouts (chance ${match.chance.toPrecision(2)})`,
          );
      } finally {
        await node.close();
      }
    });

  audit
    .command("head")
    .description("sign the head of the log as it is now and print it")
    .addOption(dirOption())
    .action(async (options) => {
      const node = await openNode(options.dir);
      try {
        const { head, signed } = await node.audit.signHead();
        console.log(JSON.stringify({ ...head, signed }, null, 2));
      } finally {
        await node.close();
      }
    });

  audit
    .command("prune")
    .description("drop who, what and the details of entries older than auditRetentionDays; hashes and proofs stay")
    .addOption(dirOption())
    .action(async (options) => {
      const node = await openNode(options.dir);
      try {
        const report = await node.pruneAudit(`cli:${userInfo().username}`);
        console.log(
          report.entries === 0
            ? `audit log of ${node.config.nodeId}: nothing to prune (no entry older than ${report.retentionDays} days still has its details)`
            : `audit log of ${node.config.nodeId}: ${report.entries} entries older than ${report.retentionDays} days (before ${report.before}) lost their details; entries 0–${report.through} keep their hashes`,
        );
      } finally {
        await node.close();
      }
    });
}
