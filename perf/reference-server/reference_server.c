// reference-server: the floor edge-perf measures Edge against. One thread, one epoll loop: ingest price messages
// (Edge's binary ingest message, docs/protocol.md) arrive over plain UDP, each is encoded once into the MessagePack
// price frame Edge sends (same keys, order and number forms: PriceSpanWriter) and appended to every subscriber's
// outbound buffer; after each epoll wake, one send per connection (the cork Edge does). WebSocket server side
// (RFC 6455) for the subset edge-perf speaks: upgrade with subprotocol edge.v1.msgpack, masked binary frames holding
// subscribe / unsubscribe / ping, close, ping. No auth, no limits beyond the buffer caps, no conflation.
//
// Datagram format: one or more records, each a uint16 little-endian length then that many bytes of ingest message.
// Build: perf/reference-server/build.sh OUT (gcc, C11, no library). Usage: reference-server [--bind A] [--port P]
// [--udp-port U]; prints "reference-server listening tcp A:P udp A:U" on stdout once bound.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 512
#define UDP_BATCH 64
#define UDP_SLOT 65536
#define UDP_BATCHES_PER_WAKE 16     // at most 1024 datagrams before the writes go out
#define IN_LIMIT (1 << 20)          // a request head or client frame larger than this closes the connection
#define OUT_LIMIT (64 << 20)        // a subscriber this far behind is closed (a slow consumer)
#define PRICE_MAX 1024              // a price frame is ~200 bytes; names are bounded (32/16/16 bytes)
#define MAX_SYMBOL 32
#define MAX_SOURCE 16
#define SNAP_ROOM 48                // frame header (10) + {"type":"snapshot","prices": (22) + array header (5)

typedef struct {
    uint8_t *data;
    size_t off, len, cap;           // bytes [off, len) are pending
} buf_t;

typedef struct {
    int fd;
    int websocket;                  // 0: reading the HTTP request head; 1: upgraded
    int dirty, want_out, close_after, closing;
    buf_t in, out;
    int *syms;                      // subscribed symbol indexes
    int nsyms, capsyms;
} conn_t;

typedef struct {
    uint8_t name[MAX_SYMBOL];
    int namelen;
    int *subs;                      // subscriber fds
    int nsubs, capsubs;
    uint8_t last[PRICE_MAX];        // the last price payload (no frame header), for snapshots
    int lastlen;
} symbol_t;

static conn_t **conns;              // by fd
static int nconns_cap;
static int *dirty;                  // fds with output to send this iteration
static int ndirty, capdirty;
static symbol_t *symbols;
static int nsymbols, capsymbols;
static int *slots;                  // open-addressing hash: symbol index + 1, 0 = empty
static int nslots;
static int epfd, listen_fd, udp_fd;

static struct {
    unsigned long long ingest, rejected, deliveries, writes, drains, bytes, slow_closes, sessions, subscriptions;
} stats;

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) { perror("realloc"); exit(1); }
    return q;
}

static void buf_reserve(buf_t *b, size_t more) {
    if (b->off > 0 && b->off == b->len) b->off = b->len = 0;
    if (b->len + more <= b->cap) return;
    if (b->off > 0) {               // slide the pending bytes down before growing
        memmove(b->data, b->data + b->off, b->len - b->off);
        b->len -= b->off;
        b->off = 0;
        if (b->len + more <= b->cap) return;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more) cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

static void buf_append(buf_t *b, const void *p, size_t n) {
    buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

// ---- SHA-1 (FIPS 180-1) and base64, for Sec-WebSocket-Accept only.

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1_block(uint32_t h[5], const uint8_t *p) {
    uint32_t w[80];
    for (int i = 0; i < 16; i++) w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
        else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
        else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
        else { f = b ^ c ^ d; k = 0xCA62C1D6; }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d; d = c; c = rol(b, 30); b = a; a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

static void sha1(const uint8_t *data, size_t len, uint8_t out[20]) {
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    size_t i = 0;
    for (; i + 64 <= len; i += 64) sha1_block(h, data + i);
    uint8_t tail[128] = {0};
    size_t rest = len - i;
    memcpy(tail, data + i, rest);
    tail[rest] = 0x80;
    size_t total = rest + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int k = 0; k < 8; k++) tail[total - 1 - k] = (uint8_t)(bits >> (8 * k));
    sha1_block(h, tail);
    if (total == 128) sha1_block(h, tail + 64);
    for (int k = 0; k < 5; k++) {
        out[4 * k] = (uint8_t)(h[k] >> 24); out[4 * k + 1] = (uint8_t)(h[k] >> 16);
        out[4 * k + 2] = (uint8_t)(h[k] >> 8); out[4 * k + 3] = (uint8_t)h[k];
    }
}

static size_t base64(const uint8_t *in, size_t n, char *out) {
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
        out[o++] = i + 1 < n ? a[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? a[v & 63] : '=';
    }
    out[o] = 0;
    return o;
}

// ---- MessagePack writing (the smallest forms, as MessagePackWriter and Edge's PriceSpanWriter write them).

static uint8_t *mp_raw(uint8_t *p, const void *s, size_t n) { memcpy(p, s, n); return p + n; }

static uint8_t *mp_str(uint8_t *p, const uint8_t *s, size_t n) {
    if (n <= 31) *p++ = (uint8_t)(0xA0 | n);
    else if (n <= 255) { *p++ = 0xD9; *p++ = (uint8_t)n; }
    else { *p++ = 0xDA; *p++ = (uint8_t)(n >> 8); *p++ = (uint8_t)n; }
    return mp_raw(p, s, n);
}

static uint8_t *mp_be(uint8_t *p, uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

static uint8_t *mp_uint(uint8_t *p, uint64_t v) {
    if (v <= 0x7F) { *p++ = (uint8_t)v; return p; }
    if (v <= 0xFF) { *p++ = 0xCC; return mp_be(p, v, 1); }
    if (v <= 0xFFFF) { *p++ = 0xCD; return mp_be(p, v, 2); }
    if (v <= 0xFFFFFFFFu) { *p++ = 0xCE; return mp_be(p, v, 4); }
    *p++ = 0xCF;
    return mp_be(p, v, 8);
}

static uint8_t *mp_int(uint8_t *p, int64_t v) {
    if (v >= 0) return mp_uint(p, (uint64_t)v);
    if (v >= -32) { *p++ = (uint8_t)v; return p; }
    if (v >= INT8_MIN) { *p++ = 0xD0; return mp_be(p, (uint64_t)v, 1); }
    if (v >= INT16_MIN) { *p++ = 0xD1; return mp_be(p, (uint64_t)v, 2); }
    if (v >= INT32_MIN) { *p++ = 0xD2; return mp_be(p, (uint64_t)v, 4); }
    *p++ = 0xD3;
    return mp_be(p, (uint64_t)v, 8);
}

static uint8_t *mp_f64(uint8_t *p, double d) {
    uint64_t v;
    memcpy(&v, &d, 8);
    *p++ = 0xCB;
    return mp_be(p, v, 8);
}

#define LIT(p, s) mp_raw(p, s, sizeof(s) - 1)

// A server frame header (FIN, opcode, unmasked length) in front of a payload of n bytes; returns the header length.
static int ws_header(uint8_t *h, int opcode, size_t n) {
    h[0] = (uint8_t)(0x80 | opcode);
    if (n <= 125) { h[1] = (uint8_t)n; return 2; }
    if (n <= 0xFFFF) { h[1] = 126; mp_be(h + 2, n, 2); return 4; }
    h[1] = 127;
    mp_be(h + 2, n, 8);
    return 10;
}

static void send_frame(conn_t *c, int opcode, const uint8_t *payload, size_t n) {
    uint8_t h[10];
    int hl = ws_header(h, opcode, n);
    buf_append(&c->out, h, (size_t)hl);
    buf_append(&c->out, payload, n);
}

// ---- Connections.

static void mark_dirty(conn_t *c) {
    if (c->dirty) return;
    c->dirty = 1;
    if (ndirty == capdirty) { capdirty = capdirty ? capdirty * 2 : 1024; dirty = xrealloc(dirty, (size_t)capdirty * sizeof(int)); }
    dirty[ndirty++] = c->fd;
}

static void unsubscribe_index(conn_t *c, int s) {
    symbol_t *sym = &symbols[s];
    for (int i = 0; i < sym->nsubs; i++) {
        if (sym->subs[i] == c->fd) { sym->subs[i] = sym->subs[--sym->nsubs]; break; }
    }
    for (int i = 0; i < c->nsyms; i++) {
        if (c->syms[i] == s) { c->syms[i] = c->syms[--c->nsyms]; break; }
    }
    stats.subscriptions--;
}

static void close_conn(conn_t *c) {
    while (c->nsyms > 0) unsubscribe_index(c, c->syms[c->nsyms - 1]);
    if (c->websocket) stats.sessions--;
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    conns[c->fd] = NULL;
    free(c->in.data);
    free(c->out.data);
    free(c->syms);
    free(c);
}

// Sends what is pending; on a partial write waits for EPOLLOUT. Returns 0 when the connection was closed.
static int flush_conn(conn_t *c) {
    c->dirty = 0;
    if (c->closing) { close_conn(c); return 0; }
    if (c->out.len > c->out.off) {
        ssize_t n = send(c->fd, c->out.data + c->out.off, c->out.len - c->out.off, MSG_NOSIGNAL | MSG_DONTWAIT);
        stats.writes++;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { close_conn(c); return 0; }
        if (n > 0) { c->out.off += (size_t)n; stats.bytes += (unsigned long long)n; }
    }
    int pending = c->out.len > c->out.off;
    if (!pending) c->out.off = c->out.len = 0;
    if (!pending && c->close_after) { close_conn(c); return 0; }
    if (pending != c->want_out) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | (pending ? EPOLLOUT : 0), .data.fd = c->fd};
        epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
        c->want_out = pending;
    }
    return 1;
}

static void flush_dirty(void) {
    if (ndirty == 0) return;
    stats.drains++;
    for (int i = 0; i < ndirty; i++) {
        conn_t *c = conns[dirty[i]];
        // A connection waiting for EPOLLOUT is sent to when the socket has room, not now.
        if (c && c->dirty && (!c->want_out || c->closing)) flush_conn(c);
        else if (c) c->dirty = 0;
    }
    ndirty = 0;
}

// ---- Symbols.

static uint32_t hash(const uint8_t *s, int n) {
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++) h = (h ^ s[i]) * 16777619u;
    return h;
}

static void rehash(void) {
    nslots = nslots ? nslots * 2 : 4096;
    slots = xrealloc(slots, (size_t)nslots * sizeof(int));
    memset(slots, 0, (size_t)nslots * sizeof(int));
    for (int i = 0; i < nsymbols; i++) {
        uint32_t at = hash(symbols[i].name, symbols[i].namelen) & (uint32_t)(nslots - 1);
        while (slots[at]) at = (at + 1) & (uint32_t)(nslots - 1);
        slots[at] = i + 1;
    }
}

// The symbol's index; created when absent (the reference carries whatever it is asked for). -1: not a name.
static int symbol_index(const uint8_t *name, int n) {
    if (n < 1 || n > MAX_SYMBOL) return -1;
    if (nslots == 0) rehash();
    uint32_t at = hash(name, n) & (uint32_t)(nslots - 1);
    while (slots[at]) {
        symbol_t *s = &symbols[slots[at] - 1];
        if (s->namelen == n && memcmp(s->name, name, (size_t)n) == 0) return slots[at] - 1;
        at = (at + 1) & (uint32_t)(nslots - 1);
    }
    if (nsymbols == capsymbols) { capsymbols = capsymbols ? capsymbols * 2 : 1024; symbols = xrealloc(symbols, (size_t)capsymbols * sizeof(symbol_t)); }
    symbol_t *s = &symbols[nsymbols];
    memset(s, 0, sizeof *s);
    memcpy(s->name, name, (size_t)n);
    s->namelen = n;
    slots[at] = ++nsymbols;
    if (nsymbols * 2 > nslots) rehash();
    return nsymbols - 1;
}

// ---- Ingest: decode one message (docs/protocol.md, "Ingest message"), encode the price once, fan it out.

static uint64_t le(const uint8_t *p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static double le_f64(const uint8_t *p) {
    uint64_t v = le(p, 8);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static void on_ingest(const uint8_t *m, size_t n) {
    if (n < 8) { stats.rejected++; return; }
    unsigned block = (unsigned)le(m, 2), template_id = (unsigned)le(m + 2, 2), schema = (unsigned)le(m + 4, 2), version = (unsigned)le(m + 6, 2);
    if (schema != 0xED || template_id != 1 || version == 0 || block < 48 || n < 8 + (size_t)block + 3) { stats.rejected++; return; }
    const uint8_t *b = m + 8;
    int64_t timestamp = (int64_t)le(b, 8);
    uint64_t sequence = le(b + 8, 8);
    double bid = le_f64(b + 16), bid_size = le_f64(b + 24), ask = le_f64(b + 32), ask_size = le_f64(b + 40);
    size_t at = 8 + block;
    const uint8_t *names[3];
    int lens[3];
    for (int i = 0; i < 3; i++) {
        if (at >= n) { stats.rejected++; return; }
        lens[i] = m[at];
        names[i] = m + at + 1;
        at += 1 + (size_t)lens[i];
        if (at > n || lens[i] == 0 || lens[i] > (i == 0 ? MAX_SYMBOL : MAX_SOURCE)) { stats.rejected++; return; }
    }
    if (version == 1 && at != n) { stats.rejected++; return; }
    double mid = (bid + ask) / 2.0, spread = ask - bid, bps = mid == 0.0 ? 0.0 : spread / mid * 10000.0;
    if (!isfinite(bid) || !isfinite(bid_size) || !isfinite(ask) || !isfinite(ask_size) || !isfinite(mid) || !isfinite(spread) || !isfinite(bps)
        || bid_size < 0 || ask_size < 0) { stats.rejected++; return; }
    int s = symbol_index(names[0], lens[0]);
    if (s < 0) { stats.rejected++; return; }
    stats.ingest++;

    // The frame, encoded once: 4 bytes of room for the header, then the price map in PriceSpanWriter's byte order.
    static uint8_t frame[4 + PRICE_MAX];
    uint8_t *p = frame + 4;
    p = LIT(p, "\x89\xA4type\xA5price\xA6symbol");
    p = mp_str(p, names[0], (size_t)lens[0]);
    p = LIT(p, "\xA3" "bid\x83\xA5price");
    p = mp_f64(p, bid);
    p = LIT(p, "\xA4size");
    p = mp_f64(p, bid_size);
    p = LIT(p, "\xA6source");
    p = mp_str(p, names[1], (size_t)lens[1]);
    p = LIT(p, "\xA3" "ask\x83\xA5price");
    p = mp_f64(p, ask);
    p = LIT(p, "\xA4size");
    p = mp_f64(p, ask_size);
    p = LIT(p, "\xA6source");
    p = mp_str(p, names[2], (size_t)lens[2]);
    p = LIT(p, "\xA3mid");
    p = mp_f64(p, mid);
    p = LIT(p, "\xA6spread");
    p = mp_f64(p, spread);
    p = LIT(p, "\xA9spreadBps");
    p = mp_f64(p, bps);
    p = LIT(p, "\xA9timestamp");
    p = mp_int(p, timestamp);
    p = LIT(p, "\xA8sequence");
    p = mp_uint(p, sequence);
    size_t payload = (size_t)(p - (frame + 4));
    uint8_t h[10];
    int hl = ws_header(h, 0x2, payload);   // 4 bytes for every real price (126..65535); else move the header in
    uint8_t *start = frame + 4 - hl;
    memcpy(start, h, (size_t)hl);
    size_t total = (size_t)hl + payload;

    symbol_t *sym = &symbols[s];
    memcpy(sym->last, frame + 4, payload);
    sym->lastlen = (int)payload;
    for (int i = 0; i < sym->nsubs; i++) {
        conn_t *c = conns[sym->subs[i]];
        if (c->closing) continue;
        buf_append(&c->out, start, total);
        stats.deliveries++;
        if (c->out.len - c->out.off > OUT_LIMIT) { c->closing = 1; stats.slow_closes++; }
        mark_dirty(c);
    }
}

static void on_udp(void) {
    static uint8_t data[UDP_BATCH][UDP_SLOT];
    static struct iovec iov[UDP_BATCH];
    static struct mmsghdr msgs[UDP_BATCH];
    for (int round = 0; round < UDP_BATCHES_PER_WAKE; round++) {
        for (int i = 0; i < UDP_BATCH; i++) {
            iov[i].iov_base = data[i];
            iov[i].iov_len = UDP_SLOT;
            memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int got = recvmmsg(udp_fd, msgs, UDP_BATCH, MSG_DONTWAIT, NULL);
        if (got <= 0) return;
        for (int i = 0; i < got; i++) {
            const uint8_t *d = data[i];
            size_t n = msgs[i].msg_len, at = 0;
            while (at + 2 <= n) {
                size_t len = (size_t)le(d + at, 2);
                if (at + 2 + len > n) { stats.rejected++; break; }
                on_ingest(d + at + 2, len);
                at += 2 + len;
            }
        }
        if (got < UDP_BATCH) return;
    }
}

// ---- Client commands (MessagePack maps): subscribe, unsubscribe, ping.

typedef struct { const uint8_t *p, *end; } rd_t;

static int rd_need(rd_t *r, size_t n) { return (size_t)(r->end - r->p) >= n; }

// Reads a string header; returns its length (-1: not a string or short).
static long rd_str(rd_t *r) {
    if (!rd_need(r, 1)) return -1;
    uint8_t t = *r->p;
    long n;
    if ((t & 0xE0) == 0xA0) { n = t & 0x1F; r->p += 1; }
    else if (t == 0xD9 && rd_need(r, 2)) { n = r->p[1]; r->p += 2; }
    else if (t == 0xDA && rd_need(r, 3)) { n = (long)(r->p[1] << 8 | r->p[2]); r->p += 3; }
    else return -1;
    return rd_need(r, (size_t)n) ? n : -1;
}

static int rd_uint(rd_t *r, uint64_t *v) {
    if (!rd_need(r, 1)) return 0;
    uint8_t t = *r->p;
    int bytes;
    if (t <= 0x7F) { *v = t; r->p++; return 1; }
    if (t == 0xCC) bytes = 1; else if (t == 0xCD) bytes = 2; else if (t == 0xCE) bytes = 4; else if (t == 0xCF) bytes = 8; else return 0;
    if (!rd_need(r, 1 + (size_t)bytes)) return 0;
    uint64_t x = 0;
    for (int i = 1; i <= bytes; i++) x = x << 8 | r->p[i];
    r->p += 1 + bytes;
    *v = x;
    return 1;
}

// Reads a container or string length of `bytes` big-endian bytes after the type byte.
static long rd_len(rd_t *r, int bytes) {
    if (!rd_need(r, 1 + (size_t)bytes)) return -1;
    long n = 0;
    for (int i = 1; i <= bytes; i++) n = n << 8 | r->p[i];
    r->p += 1 + bytes;
    return n;
}

static int rd_skip(rd_t *r, int depth) {
    if (depth > 16 || !rd_need(r, 1)) return 0;
    uint8_t t = *r->p;
    long n;
    if (t <= 0x7F || t >= 0xE0 || t == 0xC0 || t == 0xC2 || t == 0xC3) { r->p++; return 1; }
    if ((t & 0xE0) == 0xA0 || t == 0xD9 || t == 0xDA) { n = rd_str(r); if (n < 0) return 0; r->p += n; return 1; }
    if ((t & 0xF0) == 0x90) { n = t & 0x0F; r->p++; goto array; }
    if ((t & 0xF0) == 0x80) { n = (t & 0x0F) * 2; r->p++; goto array; }
    switch (t) {
    case 0xCC: case 0xD0: n = 1; break;
    case 0xCD: case 0xD1: n = 2; break;
    case 0xCA: case 0xCE: case 0xD2: n = 4; break;
    case 0xCB: case 0xCF: case 0xD3: n = 8; break;
    case 0xC4: n = rd_len(r, 1); goto bytes;
    case 0xC5: n = rd_len(r, 2); goto bytes;
    case 0xC6: case 0xDB: n = rd_len(r, 4); goto bytes;
    case 0xDC: n = rd_len(r, 2); goto array;
    case 0xDD: n = rd_len(r, 4); goto array;
    case 0xDE: n = rd_len(r, 2) * 2; goto array;
    case 0xDF: n = rd_len(r, 4) * 2; goto array;
    default: return 0;
    }
    if (!rd_need(r, 1 + (size_t)n)) return 0;
    r->p += 1 + n;
    return 1;
bytes:
    if (n < 0 || !rd_need(r, (size_t)n)) return 0;
    r->p += n;
    return 1;
array:
    if (n < 0) return 0;
    for (long i = 0; i < n; i++) if (!rd_skip(r, depth + 1)) return 0;
    return 1;
}

static void send_error(conn_t *c, const char *message) {
    uint8_t out[256], *p = out;
    p = LIT(p, "\x83\xA4type\xA5" "error\xA4" "code\xAFINVALID_MESSAGE\xA7message");
    p = mp_str(p, (const uint8_t *)message, strlen(message));
    send_frame(c, 0x2, out, (size_t)(p - out));
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void on_command(conn_t *c, const uint8_t *payload, size_t n) {
    rd_t r = {payload, payload + n};
    long pairs;
    if (n > 0 && (payload[0] & 0xF0) == 0x80) { pairs = payload[0] & 0x0F; r.p++; }
    else if (n > 0 && payload[0] == 0xDE) pairs = rd_len(&r, 2);
    else { send_error(c, "not a map"); return; }
    const uint8_t *type = NULL, *symbols_at = NULL;
    long type_len = 0;
    uint64_t id = 0;
    for (long i = 0; i < pairs; i++) {
        long kl = rd_str(&r);
        if (kl < 0) { send_error(c, "bad key"); return; }
        const uint8_t *key = r.p;
        r.p += kl;
        if (kl == 4 && memcmp(key, "type", 4) == 0) {
            type_len = rd_str(&r);
            if (type_len < 0) { send_error(c, "bad type"); return; }
            type = r.p;
            r.p += type_len;
        } else if (kl == 2 && memcmp(key, "id", 2) == 0) {
            if (!rd_uint(&r, &id)) { send_error(c, "bad id"); return; }
        } else {
            if (kl == 7 && memcmp(key, "symbols", 7) == 0) symbols_at = r.p;
            if (!rd_skip(&r, 0)) { send_error(c, "bad value"); return; }
        }
    }
    if (type == NULL) { send_error(c, "no type"); return; }
    int subscribe = type_len == 9 && memcmp(type, "subscribe", 9) == 0;
    int unsubscribe = type_len == 11 && memcmp(type, "unsubscribe", 11) == 0;
    uint8_t small[64], *p = small;
    if (type_len == 4 && memcmp(type, "ping", 4) == 0) {
        p = LIT(p, "\x83\xA4type\xA4pong\xA2id");
        p = mp_uint(p, id);
        p = LIT(p, "\xA4time");
        p = mp_int(p, now_ns());
        send_frame(c, 0x2, small, (size_t)(p - small));
        return;
    }
    if (!(subscribe || unsubscribe) || symbols_at == NULL) { send_error(c, "unsupported command"); return; }

    rd_t s = {symbols_at, payload + n};
    long count;
    if ((*s.p & 0xF0) == 0x90) { count = *s.p & 0x0F; s.p++; }
    else if (*s.p == 0xDC) count = rd_len(&s, 2);
    else if (*s.p == 0xDD) count = rd_len(&s, 4);
    else { send_error(c, "symbols is not an array"); return; }

    // ack: {"type":"ack","id":ID,"subscribed"|"unsubscribed":[names],"errors":[]}; names are at most 35 bytes each.
    if (count < 0 || (size_t)count > n) { send_error(c, "bad symbols"); return; }
    buf_t ack = {0}, snap = {0};
    buf_reserve(&ack, 64 + (size_t)count * 36);
    p = ack.data;
    p = LIT(p, "\x84\xA4type\xA3" "ack\xA2id");
    p = mp_uint(p, id);
    p = subscribe ? LIT(p, "\xAAsubscribed") : LIT(p, "\xACunsubscribed");
    uint8_t *array_at = p;
    p += 3;                          // array16 header, filled in below
    long listed = 0, snapshots = 0;
    buf_reserve(&snap, SNAP_ROOM);
    snap.len = SNAP_ROOM;            // room for the frame header and the {"type":"snapshot","prices":[ prefix
    for (long i = 0; i < count; i++) {
        long len = rd_str(&s);
        if (len < 0) break;
        const uint8_t *name = s.p;
        s.p += len;
        int idx = symbol_index(name, (int)len);
        if (idx < 0) continue;
        symbol_t *sym = &symbols[idx];
        int already = -1;
        for (int k = 0; k < c->nsyms; k++) if (c->syms[k] == idx) { already = k; break; }
        if (subscribe && already < 0) {
            if (c->nsyms == c->capsyms) { c->capsyms = c->capsyms ? c->capsyms * 2 : 16; c->syms = xrealloc(c->syms, (size_t)c->capsyms * sizeof(int)); }
            c->syms[c->nsyms++] = idx;
            if (sym->nsubs == sym->capsubs) { sym->capsubs = sym->capsubs ? sym->capsubs * 2 : 16; sym->subs = xrealloc(sym->subs, (size_t)sym->capsubs * sizeof(int)); }
            sym->subs[sym->nsubs++] = c->fd;
            stats.subscriptions++;
        } else if (unsubscribe && already >= 0) {
            unsubscribe_index(c, idx);
        }
        if (subscribe && sym->lastlen > 0) {
            buf_append(&snap, sym->last, (size_t)sym->lastlen);
            snapshots++;
        }
        p = mp_str(p, name, (size_t)len);
        listed++;
    }
    if (listed <= 15) {              // fixarray, as MessagePackWriter writes it: move the names down two bytes
        array_at[0] = (uint8_t)(0x90 | listed);
        memmove(array_at + 1, array_at + 3, (size_t)(p - (array_at + 3)));
        p -= 2;
    } else {
        array_at[0] = 0xDC;
        array_at[1] = (uint8_t)(listed >> 8);
        array_at[2] = (uint8_t)listed;
    }
    p = LIT(p, "\xA6" "errors\x90");
    send_frame(c, 0x2, ack.data, (size_t)(p - ack.data));
    free(ack.data);
    if (snapshots > 0) {
        // {"type":"snapshot","prices":[...]} after the ack, before any later price (they are appended after it).
        static const char head[] = "\x82\xA4type\xA8snapshot\xA6prices";
        uint8_t prefix[SNAP_ROOM], *e = LIT(prefix, head);
        if (snapshots <= 15) *e++ = (uint8_t)(0x90 | snapshots);
        else if (snapshots <= 0xFFFF) { *e++ = 0xDC; e = mp_be(e, (uint64_t)snapshots, 2); }
        else { *e++ = 0xDD; e = mp_be(e, (uint64_t)snapshots, 4); }
        size_t pn = (size_t)(e - prefix), payload_len = pn + snap.len - SNAP_ROOM;
        uint8_t h[10];
        int hl = ws_header(h, 0x2, payload_len);
        uint8_t *q = snap.data + SNAP_ROOM - pn - (size_t)hl;
        memcpy(q, h, (size_t)hl);
        memcpy(q + hl, prefix, pn);
        buf_append(&c->out, q, (size_t)(snap.data + snap.len - q));
    }
    free(snap.data);
}

// ---- HTTP: the upgrade, /metrics and /healthz.

// The value of header `name` in the request head (NUL-terminated copy into out), or 0 when absent.
static int header(const char *head, const char *name, char *out, size_t cap) {
    size_t nl = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
        const char *l = line + 2;
        if (strncasecmp(l, name, nl) == 0 && l[nl] == ':') {
            const char *v = l + nl + 1;
            while (*v == ' ' || *v == '\t') v++;
            const char *e = strstr(v, "\r\n");
            size_t n = e ? (size_t)(e - v) : strlen(v);
            while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
            if (n >= cap) n = cap - 1;
            memcpy(out, v, n);
            out[n] = 0;
            return 1;
        }
    }
    return 0;
}

static void http_reply(conn_t *c, const char *status, const char *body) {
    char out[2048];
    int n = snprintf(out, sizeof out, "HTTP/1.1 %s\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     status, strlen(body), body);
    buf_append(&c->out, out, (size_t)n);
    c->close_after = 1;
}

static void on_request(conn_t *c, char *head) {
    char key[128], protocols[256], upgrade[64];
    if (strncmp(head, "GET /metrics", 12) == 0) {
        // The family names Edge uses for what the reference also counts, so edge-perf reads both alike.
        char body[1024];
        snprintf(body, sizeof body,
                 "edge_ingest_messages_total %llu\nedge_ingest_rejected_total %llu\nedge_fanout_deliveries_total %llu\n"
                 "edge_fanout_writes_total %llu\nedge_fanout_drains_total %llu\nedge_fanout_bytes_total %llu\n"
                 "edge_slow_consumer_closes_total %llu\nedge_sessions %llu\nedge_subscriptions %llu\nedge_symbols %d\n",
                 stats.ingest, stats.rejected, stats.deliveries, stats.writes, stats.drains, stats.bytes, stats.slow_closes,
                 stats.sessions, stats.subscriptions, nsymbols);
        http_reply(c, "200 OK", body);
        return;
    }
    if (strncmp(head, "GET /healthz", 12) == 0) { http_reply(c, "200 OK", "ok\n"); return; }
    if (strncmp(head, "GET ", 4) != 0 || !header(head, "Upgrade", upgrade, sizeof upgrade) || strcasecmp(upgrade, "websocket") != 0
        || !header(head, "Sec-WebSocket-Key", key, sizeof key)) {
        http_reply(c, "400 Bad Request", "a WebSocket upgrade (GET, Upgrade: websocket, Sec-WebSocket-Key) or GET /metrics\n");
        return;
    }
    int has_protocols = header(head, "Sec-WebSocket-Protocol", protocols, sizeof protocols);
    if (has_protocols && strstr(protocols, "edge.v1.msgpack") == NULL) {
        http_reply(c, "400 Bad Request", "the reference server speaks edge.v1.msgpack only\n");
        return;
    }
    char accept_in[200];
    int n = snprintf(accept_in, sizeof accept_in, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    uint8_t digest[20];
    sha1((const uint8_t *)accept_in, (size_t)n, digest);
    char accept[32];
    base64(digest, 20, accept);
    char out[512];
    n = snprintf(out, sizeof out, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n%s\r\n",
                 accept, has_protocols ? "Sec-WebSocket-Protocol: edge.v1.msgpack\r\n" : "");
    buf_append(&c->out, out, (size_t)n);
    c->websocket = 1;
    stats.sessions++;
}

// Handles complete frames in c->in; returns 0 when the connection is to close after its output.
static int on_frames(conn_t *c) {
    while (1) {
        uint8_t *d = c->in.data + c->in.off;
        size_t avail = c->in.len - c->in.off;
        if (avail < 2) break;
        int opcode = d[0] & 0x0F, fin = d[0] & 0x80, masked = d[1] & 0x80;
        uint64_t len = d[1] & 0x7F;
        size_t hl = 2;
        if (len == 126) { if (avail < 4) break; len = (uint64_t)d[2] << 8 | d[3]; hl = 4; }
        else if (len == 127) { if (avail < 10) break; len = 0; for (int i = 0; i < 8; i++) len = len << 8 | d[2 + i]; hl = 10; }
        if (!masked || !fin || len > IN_LIMIT) {
            // RFC 6455: client frames are masked; edge-perf never fragments. 1002 protocol error.
            send_frame(c, 0x8, (const uint8_t *)"\x03\xEA", 2);
            return 0;
        }
        if (avail < hl + 4 + len) break;
        uint8_t *mask = d + hl, *payload = d + hl + 4;
        for (uint64_t i = 0; i < len; i++) payload[i] ^= mask[i & 3];
        c->in.off += hl + 4 + (size_t)len;
        switch (opcode) {
        case 0x2: on_command(c, payload, (size_t)len); break;
        case 0x9: send_frame(c, 0xA, payload, (size_t)len); break;
        case 0xA: break;
        case 0x8: send_frame(c, 0x8, payload, len >= 2 ? 2 : 0); return 0;
        default: send_frame(c, 0x8, (const uint8_t *)"\x03\xEB", 2); return 0; // 1003: text and others unsupported
        }
    }
    if (c->in.off == c->in.len) c->in.off = c->in.len = 0;
    return 1;
}

static void on_readable(conn_t *c) {
    while (1) {
        buf_reserve(&c->in, 16384);
        ssize_t n = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) { c->closing = 1; break; }
        if (n < 0) break;
        c->in.len += (size_t)n;
        if (c->in.len - c->in.off > IN_LIMIT) { c->closing = 1; break; }
        if (!c->websocket) {
            buf_reserve(&c->in, 1);
            c->in.data[c->in.len] = 0;
            char *head = (char *)c->in.data + c->in.off;
            char *end = strstr(head, "\r\n\r\n");
            if (!end) continue;
            end[2] = 0;
            c->in.off += (size_t)(end + 4 - head);
            on_request(c, head);
            if (c->close_after) break;
        }
        if (c->websocket && !on_frames(c)) { c->close_after = 1; break; }
        if ((size_t)n < 16384) break;
    }
    mark_dirty(c);
}

static void on_accept(void) {
    while (1) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (fd >= nconns_cap) {
            int cap = nconns_cap ? nconns_cap : 1024;
            while (cap <= fd) cap *= 2;
            conns = xrealloc(conns, (size_t)cap * sizeof(conn_t *));
            memset(conns + nconns_cap, 0, (size_t)(cap - nconns_cap) * sizeof(conn_t *));
            nconns_cap = cap;
        }
        conn_t *c = calloc(1, sizeof *c);
        if (!c) { close(fd); continue; }
        c->fd = fd;
        conns[fd] = c;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = fd};
        epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    }
}

static int bind_socket(int type, const char *address, int port, struct sockaddr_in *bound) {
    int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, address, &a.sin_addr) != 1) { fprintf(stderr, "reference-server: bad address %s\n", address); exit(2); }
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror("reference-server: bind"); exit(1); }
    socklen_t len = sizeof *bound;
    getsockname(fd, (struct sockaddr *)bound, &len);
    return fd;
}

int main(int argc, char **argv) {
    const char *address = "127.0.0.1";
    int port = 0, udp_port = 0;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--bind") == 0) address = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--port") == 0) port = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--udp-port") == 0) udp_port = atoi(argv[++i]);
        else { fprintf(stderr, "usage: reference-server [--bind 127.0.0.1] [--port 0] [--udp-port 0]\n"); return 2; }
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) { nofile.rlim_cur = nofile.rlim_max; setrlimit(RLIMIT_NOFILE, &nofile); }

    struct sockaddr_in tcp_at, udp_at;
    listen_fd = bind_socket(SOCK_STREAM, address, port, &tcp_at);
    if (listen(listen_fd, 4096) != 0) { perror("reference-server: listen"); return 1; }
    udp_fd = bind_socket(SOCK_DGRAM, address, udp_port, &udp_at);
    int rcvbuf = 8 << 20;           // a burst must not overflow the socket: FORCE when allowed, else capped at rmem_max
    if (setsockopt(udp_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
        setsockopt(udp_fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);

    epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listen_fd};
    epoll_ctl(epfd, EPOLL_CTL_ADD, listen_fd, &ev);
    ev.data.fd = udp_fd;
    epoll_ctl(epfd, EPOLL_CTL_ADD, udp_fd, &ev);

    char a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &tcp_at.sin_addr, a1, sizeof a1);
    inet_ntop(AF_INET, &udp_at.sin_addr, a2, sizeof a2);
    printf("reference-server listening tcp %s:%d udp %s:%d\n", a1, ntohs(tcp_at.sin_port), a2, ntohs(udp_at.sin_port));
    fflush(stdout);

    struct epoll_event events[MAX_EVENTS];
    while (1) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("reference-server: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == udp_fd) on_udp();
            else if (fd == listen_fd) on_accept();
            else {
                conn_t *c = fd < nconns_cap ? conns[fd] : NULL;
                if (!c) continue;
                if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) on_readable(c);
                if ((events[i].events & EPOLLOUT) && !c->closing && !flush_conn(c)) continue;
            }
        }
        flush_dirty();               // the cork: one send per connection with output from this wake
    }
}
