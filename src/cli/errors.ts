// Turns the errors users can cause into one line on stderr and an exit code; anything else is a bug and
// prints its stack.
import { AccountLockedError, InvalidUserError } from "../auth/auth-service.ts";
import { InvalidBase32Error } from "../auth/totp.ts";
import { InsecureKeyFileError, KeyExistsError } from "../crypto/keys.ts";
import { ManifestError } from "../federation/manifest.ts";
import { ImportFileError, ImportOptionsError } from "../importer/import-service.ts";
import { MappingError } from "../importer/mapping.ts";
import { MatchInputError } from "../matching/match-csv.ts";
import { ConfigError } from "../node/config.ts";
import { MigrationFailedError } from "../store/migrations.ts";
import { UsernameTakenError } from "../store/user-repository.ts";

const USER_ERRORS = [
  ConfigError,
  InvalidUserError,
  UsernameTakenError,
  KeyExistsError,
  InsecureKeyFileError,
  AccountLockedError,
  InvalidBase32Error,
  MigrationFailedError,
  ImportFileError,
  ImportOptionsError,
  MappingError,
  MatchInputError,
  ManifestError,
];

export class CliUsageError extends Error {}

export function reportError(error: unknown): number {
  if (error instanceof CliUsageError || USER_ERRORS.some((type) => error instanceof type)) {
    console.error(`puente: ${(error as Error).message}`);
    return 2;
  }
  if (error instanceof Error && "code" in error && error.code === "ECONNREFUSED") {
    console.error(`puente: cannot reach the database (${error.message})`);
    return 1;
  }
  console.error(error);
  return 1;
}
