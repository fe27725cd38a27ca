// snprintf/vsnprintf for the micro profile, replacing newlib-nano's: nano's printf has no C99
// length modifiers (%zu, %lld, used throughout the core's error messages) and the full newlib
// printf is large and allocates for floating point. This one writes into the caller's buffer
// only (no heap, no locale) and covers what the runtime formats: flags - 0 + space #, width
// and precision (also *), lengths hh h l ll z j t, conversions d i u x X o c s p % and f e g
// (floating point to about 8 significant digits, with integer arithmetic only: error
// messages, not data exchange).
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace {

struct Out {
  char* buf;
  size_t cap;
  size_t n = 0;
  void Put(char c) {
    if (n + 1 < cap) buf[n] = c;
    ++n;
  }
  void Pad(int count, char c) {
    for (int i = 0; i < count; ++i) Put(c);
  }
};

struct Spec {
  bool left = false, zero = false, plus = false, space = false, alt = false;
  int width = 0;
  int precision = -1;
};

// Emits sign/prefix + digits with width handling.
void Emit(Out& o, const Spec& s, const char* prefix, const char* digits, int ndigits) {
  int plen = 0;
  while (prefix[plen]) ++plen;
  int zeros = s.precision > ndigits ? s.precision - ndigits : 0;
  int len = plen + zeros + ndigits;
  if (!s.left && !(s.zero && s.precision < 0)) o.Pad(s.width - len, ' ');
  for (int i = 0; i < plen; ++i) o.Put(prefix[i]);
  if (!s.left && s.zero && s.precision < 0) o.Pad(s.width - len, '0');
  o.Pad(zeros, '0');
  for (int i = 0; i < ndigits; ++i) o.Put(digits[i]);
  if (s.left) o.Pad(s.width - len, ' ');
}

// n / 10 without a division (shifts and adds: Hacker's Delight's divu10, widened to 64 bits).
uint64_t Div10(uint64_t n, uint32_t* rem) {
  uint64_t q = (n >> 1) + (n >> 2);
  q += q >> 4;
  q += q >> 8;
  q += q >> 16;
  q += q >> 32;
  q >>= 3;
  uint64_t r = n - ((q << 3) + (q << 1));
  while (r > 9) {
    ++q;
    r -= 10;
  }
  *rem = static_cast<uint32_t>(r);
  return q;
}

void Integer(Out& o, Spec s, uint64_t mag, bool negative, unsigned base, bool upper) {
  char tmp[24];
  int n = 0;
  const char* dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  const bool zero = mag == 0;
  if (zero && s.precision != 0) tmp[n++] = '0';
  while (mag != 0) {  // no 64-bit division (libgcc's __udivmoddi4 is 0.7 KB)
    uint32_t d;
    if (base == 10) {
      mag = Div10(mag, &d);
    } else {
      d = static_cast<uint32_t>(mag) & (base - 1);
      mag >>= base == 16 ? 4 : 3;
    }
    tmp[n++] = dig[d];
  }
  char digits[24];
  for (int i = 0; i < n; ++i) digits[i] = tmp[n - 1 - i];
  const char* prefix = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
  if (s.alt && base == 16 && !zero) prefix = upper ? "0X" : "0x";
  Emit(o, s, prefix, digits, n);
}

// Floating point, without floating-point arithmetic: a double's bits are turned into 17
// significant decimal digits with integer shifts, adds and multiplies only, so the formatter
// links no soft-float routines and no 64-bit division into a firmware. Output agrees with
// glibc's to the digits printed except that ties round half up.
struct Decimal {
  char d[20];  // significant digits, most significant first, no leading zero
  int n;       // number of digits; 0 for zero
  int e10;     // decimal exponent of d[0]
  char Digit(int i) const { return i >= 0 && i < n ? d[i] : '0'; }
};

// |v| = m * 2^e2 rewritten as m * 10^dexp, scaling m by 2 or 10 and keeping it in
// [2^59, 2^63]: each step loses at most half a unit in the 18th digit.
Decimal ToDecimal(uint64_t bits);

// Rounds to `keep` significant digits (half up); keep <= 0 may round to zero or to 10^e10+1.
void Round(Decimal& v, int keep) {
  if (keep >= v.n) {
    while (v.n > 0 && v.d[v.n - 1] == '0') --v.n;
    return;
  }
  if (keep < 0 || (keep == 0 && v.d[0] < '5')) {
    v.n = 0;
    v.e10 = 0;
    return;
  }
  bool up = v.d[keep] >= '5';
  v.n = keep;
  for (int i = keep - 1; up && i >= 0; --i) {
    if (v.d[i] == '9') {
      v.d[i] = '0';
    } else {
      ++v.d[i];
      up = false;
    }
  }
  if (up) {  // 9.99 -> 10.0, or keep == 0 and the first digit >= 5
    v.d[0] = '1';
    v.n = 1;
    ++v.e10;
  }
  while (v.n > 0 && v.d[v.n - 1] == '0') --v.n;
  if (v.n == 0) v.e10 = 0;
}

void Round(Decimal& v, int keep);

Decimal ToDecimal(uint64_t bits) {
  const int exp = static_cast<int>((bits >> 52) & 0x7ff);
  const uint64_t frac = bits & ((uint64_t{1} << 52) - 1);
  Decimal r{};
  if (exp == 0 && frac == 0) return r;
  uint64_t m = exp == 0 ? frac : (frac | (uint64_t{1} << 52));
  int e2 = (exp == 0 ? 1 : exp) - 1075;
  while (m < (uint64_t{1} << 62)) {  // normalize (subnormals have fewer bits)
    m <<= 1;
    --e2;
  }
  int dexp = 0;
  uint32_t rem = 0;
  while (e2 > 0) {
    if (m >= (uint64_t{1} << 63)) {
      m = Div10(m, &rem) + (rem >= 5);
      ++dexp;
    } else {
      m <<= 1;
      --e2;
    }
  }
  while (e2 < 0) {
    if (m < 0x0CCCCCCCCCCCCCCCull) {
      m = (m << 3) + (m << 1);
      --dexp;
    } else {
      m = (m >> 1) + (m & 1);
      ++e2;
    }
  }
  char tmp[20];
  int n = 0;
  while (m != 0) {
    m = Div10(m, &rem);
    tmp[n++] = static_cast<char>('0' + rem);
  }
  for (int i = 0; i < n; ++i) r.d[i] = tmp[n - 1 - i];
  r.n = n;
  r.e10 = n - 1 + dexp;
  Round(r, 17);  // what a double holds; the 18th and 19th digits are scaling noise
  return r;
}

struct Buf {
  char c[64];
  int n = 0;
  void Put(char x) {
    if (n < static_cast<int>(sizeof(c))) c[n++] = x;
  }
};

void Float(Out& o, Spec s, uint64_t bits, char conv) {
  const bool negative = (bits >> 63) != 0;
  const char* prefix = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
  Spec t = s;
  t.precision = -1;
  if (((bits >> 52) & 0x7ff) == 0x7ff) {
    t.zero = false;
    Emit(o, t, prefix, (bits & ((uint64_t{1} << 52) - 1)) ? "nan" : "inf", 3);
    return;
  }
  Decimal v = ToDecimal(bits);
  int prec = s.precision < 0 ? 6 : s.precision;
  bool expo = conv == 'e';
  bool strip = false;
  if (conv == 'g') {
    if (prec == 0) prec = 1;
    Decimal r = v;
    Round(r, prec);
    strip = !s.alt;
    if (r.e10 < -4 || r.e10 >= prec) {
      expo = true;
      prec = prec - 1;
    } else {
      prec = prec - 1 - r.e10;
    }
  }
  Round(v, expo ? prec + 1 : v.e10 + 1 + prec);
  Buf b;
  if (expo) {
    b.Put(v.Digit(0));
    if (prec > 0 || s.alt) b.Put('.');
    for (int i = 1; i <= prec; ++i) b.Put(v.Digit(i));
  } else {
    if (v.e10 < 0 || v.n == 0) b.Put('0');
    for (int i = 0; i <= v.e10 && v.n > 0; ++i) b.Put(v.Digit(i));
    if (prec > 0 || s.alt) b.Put('.');
    const int first = v.n == 0 ? 0 : v.e10;
    for (int j = 1; j <= prec; ++j) b.Put(v.n == 0 ? '0' : v.Digit(first + j));
  }
  if (strip) {
    bool has_dot = false;
    for (int i = 0; i < b.n; ++i) has_dot |= b.c[i] == '.';
    if (has_dot) {
      while (b.n > 0 && b.c[b.n - 1] == '0') --b.n;
      if (b.n > 0 && b.c[b.n - 1] == '.') --b.n;
    }
  }
  if (expo) {
    const int e = v.n == 0 ? 0 : v.e10;
    b.Put('e');
    b.Put(e < 0 ? '-' : '+');
    const int ae = e < 0 ? -e : e;
    if (ae >= 100) b.Put(static_cast<char>('0' + ae / 100));
    b.Put(static_cast<char>('0' + ae / 10 % 10));
    b.Put(static_cast<char>('0' + ae % 10));
  }
  Emit(o, t, prefix, b.c, b.n);
}

}  // namespace

extern "C" int vsnprintf(char* buf, size_t cap, const char* fmt, va_list ap) {
  Out o{buf, cap};
  va_list args;
  va_copy(args, ap);
  for (const char* p = fmt; *p; ++p) {
    if (*p != '%') {
      o.Put(*p);
      continue;
    }
    ++p;
    Spec s;
    for (;; ++p) {
      if (*p == '-') s.left = true;
      else if (*p == '0') s.zero = true;
      else if (*p == '+') s.plus = true;
      else if (*p == ' ') s.space = true;
      else if (*p == '#') s.alt = true;
      else break;
    }
    if (*p == '*') {
      s.width = va_arg(args, int);
      if (s.width < 0) s.left = true, s.width = -s.width;
      ++p;
    } else {
      while (*p >= '0' && *p <= '9') s.width = s.width * 10 + (*p++ - '0');
    }
    if (*p == '.') {
      ++p;
      s.precision = 0;
      if (*p == '*') {
        s.precision = va_arg(args, int);
        ++p;
      } else {
        while (*p >= '0' && *p <= '9') s.precision = s.precision * 10 + (*p++ - '0');
      }
    }
    int len = 0;  // 0 int, 1 long, 2 long long, 3 size_t/intmax/ptrdiff
    while (*p == 'h' || *p == 'l' || *p == 'z' || *p == 'j' || *p == 't' || *p == 'L') {
      if (*p == 'l') len = len == 1 ? 2 : 1;
      else if (*p == 'z' || *p == 't') len = sizeof(size_t) == 8 ? 2 : 0;
      else if (*p == 'j') len = 2;
      ++p;
    }
    switch (*p) {
      case 'd':
      case 'i': {
        int64_t v = len == 2 ? va_arg(args, long long) : len == 1 ? va_arg(args, long)
                                                                   : va_arg(args, int);
        Integer(o, s, v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v), v < 0,
                10, false);
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        uint64_t v = len == 2 ? va_arg(args, unsigned long long)
                     : len == 1 ? va_arg(args, unsigned long)
                                : va_arg(args, unsigned int);
        Integer(o, s, v, false, *p == 'u' ? 10 : *p == 'o' ? 8 : 16, *p == 'X');
        break;
      }
      case 'p': {
        s.alt = true;
        Integer(o, s, reinterpret_cast<uintptr_t>(va_arg(args, void*)), false, 16, false);
        break;
      }
      case 'c': {
        char c = static_cast<char>(va_arg(args, int));
        Spec t = s;
        t.precision = -1;
        Emit(o, t, "", &c, 1);
        break;
      }
      case 's': {
        const char* str = va_arg(args, const char*);
        if (str == nullptr) str = "(null)";
        int n = 0;
        while (str[n] && (s.precision < 0 || n < s.precision)) ++n;
        Spec t = s;
        t.precision = -1;
        t.zero = false;
        Emit(o, t, "", str, n);
        break;
      }
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
      {
        const double v = va_arg(args, double);
        uint64_t bits;
        memcpy(&bits, &v, sizeof(bits));
        Float(o, s, bits, *p == 'f' || *p == 'F' ? 'f' : *p == 'e' || *p == 'E' ? 'e' : 'g');
        break;
      }
      case '%':
        o.Put('%');
        break;
      case '\0':
        --p;
        break;
      default:
        o.Put('%');
        o.Put(*p);
    }
  }
  va_end(args);
  if (cap > 0) buf[o.n < cap ? o.n : cap - 1] = '\0';
  return static_cast<int>(o.n);
}

extern "C" int snprintf(char* buf, size_t cap, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  const int n = vsnprintf(buf, cap, fmt, args);
  va_end(args);
  return n;
}
