/*
 * Preloaded into a process (LD_PRELOAD), keeps what a power cut would leave
 * of its files: after each successful fsync or fdatasync of a file under
 * $POWER_LOSS_DATA_DIR, the file's whole content is copied to the same
 * relative path under $POWER_LOSS_SYNCED_DIR. The copy goes to a temporary
 * name first and is renamed over the previous one, so a kill in the middle of
 * a copy leaves the previous one whole.
 *
 * A copy that fails aborts the process: a missing copy would make a test
 * believe that data was lost. SQLite (as better-sqlite3 builds it, without
 * HAVE_FDATASYNC) syncs with fsync; Node's fs.fsync and fs.fdatasync call
 * the C library's functions of those names, from libuv's threads too.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef int (*sync_function)(int);

static pthread_mutex_t copying = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char *what, const char *path) {
  fprintf(stderr, "fsync-snapshot: %s %s: %s\n", what, path, strerror(errno));
  abort();
}

/* Creates every folder above `path`, a path under the synced folder. */
static void make_parents(char *path) {
  for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    if (mkdir(path, 0700) != 0 && errno != EEXIST) fail("cannot create", path);
    *slash = '/';
  }
}

/* Copies the file open as `link` (/proc/self/fd/N), reopened to read: the fd may be write-only. */
static void copy_content(const char *link, const char *target) {
  int fd = open(link, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot reopen the file synced as", target);
  char temporary[PATH_MAX + 16];
  snprintf(temporary, sizeof temporary, "%s.%d.tmp", target, getpid());
  int out = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) fail("cannot create", temporary);
  static char buffer[1 << 20];
  for (off_t offset = 0;;) {
    ssize_t read = pread(fd, buffer, sizeof buffer, offset);
    if (read < 0 && errno == EINTR) continue;
    if (read < 0) fail("cannot read the file synced as", target);
    if (read == 0) break;
    for (ssize_t written = 0; written < read;) {
      ssize_t count = write(out, buffer + written, read - written);
      if (count < 0 && errno == EINTR) continue;
      if (count < 0) fail("cannot write", temporary);
      written += count;
    }
    offset += read;
  }
  if (close(out) != 0) fail("cannot close", temporary);
  close(fd);
  if (rename(temporary, target) != 0) fail("cannot rename to", target);
}

/* Copies the file open as `fd` if it lies under the data folder. */
static void snapshot(int fd) {
  const char *data_dir = getenv("POWER_LOSS_DATA_DIR");
  const char *synced_dir = getenv("POWER_LOSS_SYNCED_DIR");
  if (!data_dir || !synced_dir) return;
  struct stat status;
  /* A folder's fsync keeps entries, not contents; a file already deleted
     will not be there after the cut, whatever it held. */
  if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) || status.st_nlink == 0) return;
  char link[64], path[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t length = readlink(link, path, sizeof path - 1);
  if (length < 0) fail("cannot read", link);
  path[length] = '\0';
  size_t prefix = strlen(data_dir);
  if (strncmp(path, data_dir, prefix) != 0 || path[prefix] != '/') return;
  char target[PATH_MAX];
  if (snprintf(target, sizeof target, "%s%s", synced_dir, path + prefix) >= (int)sizeof target) {
    errno = ENAMETOOLONG;
    fail("cannot name the copy of", path);
  }
  pthread_mutex_lock(&copying);
  make_parents(target);
  copy_content(link, target);
  pthread_mutex_unlock(&copying);
}

/* Calls the C library's `name` (found once), then copies the file it synced. */
static int synced(sync_function *real, const char *name, int fd) {
  sync_function call = __atomic_load_n(real, __ATOMIC_ACQUIRE);
  if (!call) {
    call = (sync_function)dlsym(RTLD_NEXT, name);
    if (!call) {
      fprintf(stderr, "fsync-snapshot: no %s to wrap\n", name);
      abort();
    }
    __atomic_store_n(real, call, __ATOMIC_RELEASE);
  }
  int result = call(fd);
  if (result == 0) {
    int saved = errno;
    snapshot(fd);
    errno = saved;
  }
  return result;
}

static sync_function real_fsync, real_fdatasync;

int fsync(int fd) { return synced(&real_fsync, "fsync", fd); }

int fdatasync(int fd) { return synced(&real_fdatasync, "fdatasync", fd); }
