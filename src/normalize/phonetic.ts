// A Spanish-aware phonetic key for folded name tokens, so that spellings a clerk may hear the same way file
// together (Vázquez/Basquez, Hernández/Ernández, Ximena/Jimena, Yolanda/Llolanda). Unlike Soundex it keeps the
// vowels, because in Spanish names they carry much of the identity (Pérez/Paredes, García/Garza must differ).
// One pass over char codes, no regexes: it runs for every token of every record.

// Output codes; 'x' is free for the "ch"/"sh" sound because the letter x itself keys as j.
const A = 97;
const B = 98;
const E = 101;
const G = 103;
const H = 104;
const I = 105;
const J = 106;
const K = 107;
const L = 108;
const O = 111;
const S = 115;
const U = 117;
const X = 120;
const Y = 121;

function isVowel(c: number): boolean {
  return c === A || c === E || c === I || c === O || c === U;
}

function isFrontVowel(c: number): boolean {
  return c === E || c === I || c === Y;
}

/**
 * Phonetic key of a folded token (lower-case a–z; anything else is skipped). Equivalences: b/v → b; z, s and c
 * before e/i → s; ll (before a vowel) and consonantal y → y; silent h dropped (ch, sh → one sound, ph → f,
 * th → t); x, j and g before e/i → j; qu before e/i, k and c elsewhere → k; gu before e/i → g; doubled codes
 * collapse; every vowel, the final one included, is kept. Deterministic, but not meant to be applied to its own
 * output.
 */
export function phoneticKey(token: string): string {
  let out = "";
  let last = -1;
  const n = token.length;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i);
    const next = i + 1 < n ? token.charCodeAt(i + 1) : 0;
    let code: number;
    switch (c) {
      case A:
      case E:
      case I:
      case O:
      case U:
        code = c;
        break;
      case Y:
        // Consonantal before a vowel (Yolanda), a vowel otherwise (Smyth, Rey).
        code = isVowel(next) ? Y : I;
        break;
      case B:
      case 118: // v
        code = B;
        break;
      case 99: // c
        if (next === H) {
          code = X;
          i++;
        } else code = isFrontVowel(next) ? S : K;
        break;
      case 113: // q
        code = K;
        if (next === U && i + 2 < n && isFrontVowel(token.charCodeAt(i + 2))) i++;
        break;
      case K:
        code = K;
        break;
      case G:
        if (next === U && i + 2 < n && isFrontVowel(token.charCodeAt(i + 2))) {
          code = G;
          i++;
        } else if (next === H) {
          code = G;
          i++;
        } else code = isFrontVowel(next) ? J : G;
        break;
      case J:
      case 120: // x
        code = J;
        break;
      case 122: // z
        code = S;
        break;
      case S:
        if (next === H) {
          code = X;
          i++;
        } else code = S;
        break;
      case L:
        if (next === L && i + 2 < n && (isVowel(token.charCodeAt(i + 2)) || token.charCodeAt(i + 2) === Y)) {
          code = Y;
          i++;
        } else code = L;
        break;
      case H:
        continue;
      case 112: // p
        if (next === H) {
          code = 102; // f
          i++;
        } else code = c;
        break;
      case 116: // t
        if (next === H) i++;
        code = c;
        break;
      default:
        if (c < 97 || c > 122) continue;
        code = c;
    }
    if (code !== last) {
      out += String.fromCharCode(code);
      last = code;
    }
  }
  return out;
}
