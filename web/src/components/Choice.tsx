// A checkbox or radio button with its label beside it (not above, as other fields have theirs).
import type { InputHTMLAttributes, ReactNode } from "react";
import "./choice.css";

export function Choice({ children, ...input }: InputHTMLAttributes<HTMLInputElement> & { children: ReactNode }) {
  return (
    <label className="choice">
      <input {...input} />
      {children}
    </label>
  );
}
