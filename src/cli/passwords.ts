// Random initial passwords for new accounts, long enough for the CJIS baseline and easy to type. The generator
// lives with password storage, where the API's account administration uses it too.
export { generatePassword } from "../auth/password.ts";
