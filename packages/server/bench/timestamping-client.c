// The bench's kernel-timestamped load generator (MBS_BENCH_CLIENTS=kernel): an open-loop HTTP/1.1
// client in C over epoll, so that what it measures is the server's, not the load generator's.
// A Node client stamps an answer when its own event loop gets round to reading it, so the client's
// GC pauses, its other answers and its wait for a core are billed to the front door. Here each
// answer is stamped twice: when this process read it (user, the same as the Node clients) and
// when the kernel put its last bytes in the socket's receive queue (SO_TIMESTAMPNS, a software
// receive timestamp taken on arrival whether or not this process is running). Requests are stamped just
// before write(): on loopback the bytes reach the server's socket within that call.
//
// Usage: timestamping-client HOST PORT RATE SECONDS SEED [TICK_MS]
// Poisson arrivals of RATE per second for SECONDS, paced by a timerfd: each request at its own
// time (nanosecond deadlines), or with TICK_MS > 0 released together on a tick every TICK_MS, as
// the Node clients' 1 ms pacing loop does, so the two kinds of client can be compared on the
// same arrival pattern; keep-alive connections, one request at a time on each, at most 256 (like the Node
// clients; beyond them requests wait, and the wait counts). Request i has size 1 + (37 i mod 400)
// and input i. Prints one line per request, "status user_ms kernel_ms batcher_ms server_ms
// issued_epoch_ms id" (status 0: no answer; the times of answered requests: latency from issue to
// the answer read by this process, and to the answer's arrival in the kernel, then the answer's
// own timings.latencySeconds and serverSeconds in ms; the issue time on the epoch clock, and the
// answer's id, "-" when none), then "end sent achieved_rate cpu_us".
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <math.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 256
#define RECEIVE_BYTES 65536

typedef struct {
  int fd;
  long request; // the request out on this connection, -1 when idle
  size_t received;
  double kernel_ms; // kernel arrival of the latest bytes of the answer being read
  char buffer[RECEIVE_BYTES];
} connection_t;

typedef struct {
  double issued_ms;
  double user_ms;
  double kernel_ms;
  double batcher_ms;
  double server_ms;
  int status;
  char id[24]; // the id the server gave the request (the answer's "id")
} request_t;

static connection_t *connections[MAX_CONNECTIONS];
static int connection_count = 0;
static int idle[MAX_CONNECTIONS];
static int idle_count = 0;
static long *waiting; // requests waiting for a free connection, FIFO
static long waiting_head = 0, waiting_tail = 0;
static request_t *requests;
static long answered = 0;
static struct sockaddr_in server_address;
static int epoll_fd;

static double realtime_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

static double monotonic_s(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

// xorshift64*, seeded: the arrivals are the same in every run of a seed.
static uint64_t random_state;
static double random_unit(void) {
  random_state ^= random_state >> 12;
  random_state ^= random_state << 25;
  random_state ^= random_state >> 27;
  return ((random_state * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

static void fail_request(long index) {
  requests[index].status = 0;
  answered++;
}

static void close_connection(int slot, int failed) {
  connection_t *connection = connections[slot];
  epoll_ctl(epoll_fd, EPOLL_CTL_DEL, connection->fd, NULL);
  close(connection->fd);
  if (failed && connection->request >= 0) fail_request(connection->request);
  connection->fd = -1;
  connection->request = -1;
  for (int i = 0; i < idle_count; i++) {
    if (idle[i] == slot) {
      idle[i] = idle[--idle_count];
      break;
    }
  }
}

static int open_connection(void) {
  int slot = -1;
  for (int i = 0; i < connection_count; i++) {
    if (connections[i]->fd < 0) {
      slot = i;
      break;
    }
  }
  if (slot < 0) {
    if (connection_count == MAX_CONNECTIONS) return -1;
    slot = connection_count++;
    connections[slot] = calloc(1, sizeof(connection_t));
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  if (fd < 0 || connect(fd, (struct sockaddr *)&server_address, sizeof server_address) != 0) {
    if (fd >= 0) close(fd);
    return -2;
  }
  connection_t *connection = connections[slot];
  connection->fd = fd;
  connection->request = -1;
  connection->received = 0;
  struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)slot + 1};
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
  return slot;
}

static int live_connections(void) {
  int live = 0;
  for (int i = 0; i < connection_count; i++) live += connections[i]->fd >= 0;
  return live;
}

static void write_request(int slot, long index) {
  connection_t *connection = connections[slot];
  char body[64], message[256];
  int body_length = snprintf(body, sizeof body, "{\"size\":%ld,\"input\":%ld}", 1 + (index * 37) % 400, index);
  int length = snprintf(message, sizeof message,
                        "POST /v1/infer HTTP/1.1\r\nhost: %s:%d\r\ncontent-type: application/json\r\n"
                        "content-length: %d\r\n\r\n%s",
                        inet_ntoa(server_address.sin_addr), ntohs(server_address.sin_port), body_length, body);
  connection->request = index;
  connection->received = 0;
  connection->kernel_ms = NAN;
  if (write(connection->fd, message, length) != length) close_connection(slot, 1);
}

/** Sends waiting requests while a connection is idle or may be opened. */
static void send_waiting(void) {
  while (waiting_head < waiting_tail) {
    int slot;
    if (idle_count > 0) slot = idle[--idle_count];
    else if (live_connections() < MAX_CONNECTIONS) {
      slot = open_connection();
      if (slot == -2) {
        fail_request(waiting[waiting_head++]);
        continue;
      }
    } else return;
    if (slot < 0) return;
    write_request(slot, waiting[waiting_head++]);
  }
}

static const char *find(const char *haystack, size_t length, const char *needle) {
  return memmem(haystack, length, needle, strlen(needle));
}

/** Records an answer once all of it is in, and frees its connection. */
static void read_answer(int slot, double user_ms) {
  connection_t *connection = connections[slot];
  const char *head_end = find(connection->buffer, connection->received, "\r\n\r\n");
  if (head_end == NULL) return;
  size_t head_length = head_end - connection->buffer;
  const char *length_at = NULL;
  for (const char *at = connection->buffer; at < head_end; at++) {
    if (strncasecmp(at, "\r\ncontent-length:", 17) == 0) {
      length_at = at + 17;
      break;
    }
  }
  if (length_at == NULL) {
    close_connection(slot, 1);
    return;
  }
  size_t body_length = strtoul(length_at, NULL, 10);
  size_t total = head_length + 4 + body_length;
  if (connection->received < total) return;
  long index = connection->request;
  request_t *request = &requests[index];
  request->status = atoi(connection->buffer + 9);
  request->user_ms = user_ms - request->issued_ms;
  request->kernel_ms = connection->kernel_ms - request->issued_ms;
  const char *body = head_end + 4;
  const char *latency = find(body, body_length, "\"latencySeconds\":");
  const char *server = find(body, body_length, "\"serverSeconds\":");
  request->batcher_ms = latency ? strtod(latency + 17, NULL) * 1e3 : NAN;
  request->server_ms = server ? strtod(server + 16, NULL) * 1e3 : NAN;
  const char *id = find(body, body_length, "\"id\":\"");
  if (id != NULL) {
    id += 6;
    size_t length = 0;
    while (id + length < body + body_length && id[length] != '"' && length < sizeof request->id - 1) length++;
    memcpy(request->id, id, length);
    request->id[length] = 0;
  }
  answered++;
  int closing = 0;
  for (const char *at = connection->buffer; at < head_end; at++) {
    if (strncasecmp(at, "\r\nconnection: close", 19) == 0) closing = 1;
  }
  connection->request = -1;
  if (connection->received > total) {
    close_connection(slot, 0); // an answer nobody asked for: not HTTP as this client speaks it
  } else if (closing) {
    close_connection(slot, 0);
  } else {
    connection->received = 0;
    idle[idle_count++] = slot;
  }
  send_waiting();
}

static void on_readable(int slot) {
  connection_t *connection = connections[slot];
  for (;;) {
    char control[CMSG_SPACE(sizeof(struct timespec))];
    struct iovec vector = {.iov_base = connection->buffer + connection->received,
                           .iov_len = RECEIVE_BYTES - connection->received};
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control,
                             .msg_controllen = sizeof control};
    ssize_t count = recvmsg(connection->fd, &message, MSG_DONTWAIT);
    double user_ms = realtime_ms();
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (count <= 0 || connection->request < 0) {
      close_connection(slot, 1);
      return;
    }
    // The arrival of the bytes just read (the answer's last bytes once it is complete).
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&message); c != NULL; c = CMSG_NXTHDR(&message, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        struct timespec stamp;
        memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
        connection->kernel_ms = stamp.tv_sec * 1e3 + stamp.tv_nsec / 1e6;
      }
    }
    connection->received += count;
    if (connection->received == RECEIVE_BYTES) {
      close_connection(slot, 1);
      return;
    }
    read_answer(slot, user_ms);
    if (connections[slot]->fd < 0 || connection->request < 0) return;
  }
}

int main(int argc, char **argv) {
  if (argc != 6 && argc != 7) {
    fprintf(stderr, "usage: timestamping-client HOST PORT RATE SECONDS SEED [TICK_MS]\n");
    return 2;
  }
  double rate = atof(argv[3]), seconds = atof(argv[4]);
  double tick = argc == 7 ? atof(argv[6]) / 1e3 : 0;
  random_state = strtoull(argv[5], NULL, 10) * 0x9E3779B97F4A7C15ULL + 1;
  if (!(rate > 0) || !(seconds > 0)) {
    fprintf(stderr, "timestamping-client: RATE and SECONDS must be > 0, got %s and %s\n", argv[3], argv[4]);
    return 2;
  }
  memset(&server_address, 0, sizeof server_address);
  server_address.sin_family = AF_INET;
  server_address.sin_port = htons(atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &server_address.sin_addr) != 1) {
    fprintf(stderr, "timestamping-client: HOST %s is not an IPv4 address\n", argv[1]);
    return 2;
  }
  long capacity = (long)(rate * seconds * 1.5) + 1000;
  requests = calloc(capacity, sizeof(request_t));
  waiting = calloc(capacity, sizeof(long));
  epoll_fd = epoll_create1(0);
  int timer_fd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct epoll_event timer_event = {.events = EPOLLIN, .data.u32 = 0};
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, timer_fd, &timer_event);

  double start = monotonic_s(), end = start + seconds, next = start;
  long sent = 0;
  int pacing = 1;
  double elapsed = seconds;
  struct epoll_event events[64];
  double give_up = end + 30;
  for (;;) {
    if (pacing) {
      double now = monotonic_s();
      while (next <= now && next < end && sent < capacity) {
        requests[sent].issued_ms = realtime_ms();
        waiting[waiting_tail++] = sent++;
        send_waiting();
        next += -log(1 - random_unit()) / rate;
      }
      if (next >= end || sent >= capacity) {
        pacing = 0;
        elapsed = monotonic_s() - start;
      } else {
        // With a tick, wake every tick and send what fell due, as a 1 ms setTimeout loop does.
        double wake = tick > 0 ? now + tick : next;
        struct itimerspec at = {0};
        at.it_value.tv_sec = (time_t)wake;
        at.it_value.tv_nsec = (long)((wake - (time_t)wake) * 1e9);
        timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &at, NULL);
      }
    }
    if (!pacing && answered >= sent) break;
    if (!pacing && monotonic_s() > give_up) break;
    int count = epoll_wait(epoll_fd, events, 64, pacing ? -1 : 100);
    for (int i = 0; i < count; i++) {
      if (events[i].data.u32 == 0) {
        uint64_t expirations;
        if (read(timer_fd, &expirations, sizeof expirations) < 0) continue;
      } else {
        on_readable((int)events[i].data.u32 - 1);
      }
    }
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  double cpu_us = usage.ru_utime.tv_sec * 1e6 + usage.ru_utime.tv_usec + usage.ru_stime.tv_sec * 1e6 +
                  usage.ru_stime.tv_usec;
  for (long i = 0; i < sent; i++) {
    request_t *r = &requests[i];
    if (r->status == 0 && r->user_ms == 0) printf("0 0 0 0 0 %.4f -\n", r->issued_ms);
    else
      printf("%d %.4f %.4f %.4f %.4f %.4f %s\n", r->status, r->user_ms, r->kernel_ms, r->batcher_ms, r->server_ms,
             r->issued_ms, r->id[0] ? r->id : "-");
  }
  printf("end %ld %.2f %.0f\n", sent, sent / elapsed, cpu_us);
  return 0;
}
