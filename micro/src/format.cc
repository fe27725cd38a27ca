// snprintf/vsnprintf for the micro profile, replacing newlib-nano's: nano's printf has no C99
// length modifiers (%zu, %lld, used throughout the core's error messages) and the full newlib
// printf is large and allocates for floating point. This one writes into the caller's buffer
// only (no heap, no locale) and covers what the runtime formats: flags - 0 + space #, width
// and precision (also *), lengths hh h l ll z j t, conversions d i u x X o c s p % and f e g
// (floating point to about 15 significant digits: error messages, not data exchange).
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>

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

void Integer(Out& o, Spec s, uint64_t mag, bool negative, unsigned base, bool upper) {
  char tmp[24];
  int n = 0;
  const char* dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  if (mag == 0 && s.precision != 0) tmp[n++] = '0';
  while (mag != 0) {
    tmp[n++] = dig[mag % base];
    mag /= base;
  }
  char digits[24];
  for (int i = 0; i < n; ++i) digits[i] = tmp[n - 1 - i];
  const char* prefix = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
  if (s.alt && base == 16 && n > 0) prefix = upper ? "0X" : "0x";
  Emit(o, s, prefix, digits, n);
}

// Decimal digits of v (>= 0) in fixed notation with `prec` decimals.
int Fixed(double v, int prec, char* out, int cap) {
  double scale = 1;
  for (int i = 0; i < prec; ++i) scale *= 10;
  double r = v * scale + 0.5;
  if (r >= 1.8e19) {  // too large for uint64: print the integer part approximately
    int n = 0;
    int e = 0;
    while (v >= 10) v /= 10, ++e;
    for (int i = 0; i <= e && n < cap - 1; ++i) {
      int d = static_cast<int>(v);
      out[n++] = static_cast<char>('0' + (i < 16 ? d : 0));
      v = (v - d) * 10;
    }
    return n;
  }
  uint64_t q = static_cast<uint64_t>(r);
  char tmp[32];
  int n = 0;
  for (int i = 0; i < prec || q != 0 || i <= prec; ++i) {
    if (i == prec && prec > 0) tmp[n++] = '.';
    tmp[n++] = static_cast<char>('0' + q % 10);
    q /= 10;
    if (i >= prec && q == 0) break;
  }
  int m = 0;
  for (int i = n - 1; i >= 0 && m < cap; --i) out[m++] = tmp[i];
  return m;
}

void Float(Out& o, Spec s, double v, char conv) {
  const bool negative = v < 0 || (v == 0 && 1 / v < 0);
  if (negative) v = -v;
  const char* prefix = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
  char digits[64];
  int n = 0;
  if (v != v) {
    Spec t = s;
    t.precision = -1;
    Emit(o, t, prefix, "nan", 3);
    return;
  }
  if (v > 1.7976931348623157e308) {
    Spec t = s;
    t.precision = -1;
    Emit(o, t, prefix, "inf", 3);
    return;
  }
  int prec = s.precision < 0 ? 6 : s.precision;
  int e = 0;
  double m = v;
  if (m != 0) {
    while (m >= 10) m /= 10, ++e;
    while (m < 1) m *= 10, --e;
  }
  bool expo = conv == 'e';
  bool strip = false;
  if (conv == 'g') {
    if (prec == 0) prec = 1;
    strip = !s.alt;
    if (e < -4 || e >= prec) {
      expo = true;
      prec = prec - 1;
    } else {
      prec = prec - 1 - e;
    }
  }
  if (expo) {
    n = Fixed(m, prec, digits, 40);
    if (n > 1 && digits[0] == '1' && digits[1] == '0') {  // rounding carried: 9.99 -> 10.0
      n = Fixed(m / 10, prec, digits, 40);
      ++e;
    }
  } else {
    n = Fixed(v, prec, digits, 40);
  }
  if (strip) {
    bool has_dot = false;
    for (int i = 0; i < n; ++i) has_dot |= digits[i] == '.';
    if (has_dot) {
      while (n > 0 && digits[n - 1] == '0') --n;
      if (n > 0 && digits[n - 1] == '.') --n;
    }
  }
  if (expo) {
    digits[n++] = 'e';
    digits[n++] = e < 0 ? '-' : '+';
    int ae = e < 0 ? -e : e;
    if (ae >= 100) digits[n++] = static_cast<char>('0' + ae / 100);
    digits[n++] = static_cast<char>('0' + ae / 10 % 10);
    digits[n++] = static_cast<char>('0' + ae % 10);
  }
  Spec t = s;
  t.precision = -1;
  Emit(o, t, prefix, digits, n);
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
        Float(o, s, va_arg(args, double), *p == 'f' || *p == 'F' ? 'f'
                                          : *p == 'e' || *p == 'E' ? 'e' : 'g');
        break;
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
