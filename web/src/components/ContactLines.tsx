// A point of contact as lines: the name, then the e-mail address and the phone number as links that open the mail
// program and the dialler. Used wherever a screen tells the user whom to call (desk notices, border referrals).
import type { PointOfContact } from "../../../src/node/config.ts";

export function ContactLines({ contact }: { contact: PointOfContact }) {
  const { name, email, phone } = contact;
  return (
    <>
      {name}
      {email && (
        <>
          <br />
          <a href={`mailto:${email}`}>{email}</a>
        </>
      )}
      {phone && (
        <>
          <br />
          <a href={`tel:${phone.replace(/[^+\d]/gu, "")}`}>{phone}</a>
        </>
      )}
    </>
  );
}
