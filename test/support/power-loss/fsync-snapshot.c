/*
 * Preloaded into a process (LD_PRELOAD), keeps what a power cut would leave
 * of its files: after each successful fsync or fdatasync of a file under
 * $POWER_LOSS_DATA_DIR, the file's whole content is copied to the same
 * relative path under $POWER_LOSS_SYNCED_DIR. The copy goes to a temporary
 * name first and is renamed over the previous one, so a kill in the middle of
 * a copy leaves the previous one whole.
 *
 * A copy that fails aborts the process: a missing copy would make a test
 * believe that data was lost. A hard link or a rename within the data
 * folder takes the synced copy along, since the new name is the same file.
 * SQLite (as better-sqlite3 builds it, without
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
typedef int (*naming_function)(const char *, const char *);

static pthread_mutex_t copying = PTHREAD_MUTEX_INITIALIZER;
static sync_function real_fsync, real_fdatasync;
static naming_function real_link, real_rename;

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

/* The C library's function `name`, found once and kept in `slot`. */
static void *real(void **slot, const char *name) {
  void *found = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
  if (!found) {
    found = dlsym(RTLD_NEXT, name);
    if (!found) {
      fprintf(stderr, "fsync-snapshot: no %s to wrap\n", name);
      abort();
    }
    __atomic_store_n(slot, found, __ATOMIC_RELEASE);
  }
  return found;
}

#define REAL(function) ((__typeof__(real_##function))real((void **)&real_##function, #function))

/* Copies the file at `source` (for an open one, /proc/self/fd/N: the fd may be write-only). */
static void copy_content(const char *source, const char *target) {
  int fd = open(source, O_RDONLY | O_CLOEXEC);
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
  if (REAL(rename)(temporary, target) != 0) fail("cannot rename to", target);
}

/* Names in `target` the synced copy of `path` (absolute); 0 when `path` lies outside the data folder. */
static int synced_path_of(const char *path, char *target) {
  const char *data_dir = getenv("POWER_LOSS_DATA_DIR");
  const char *synced_dir = getenv("POWER_LOSS_SYNCED_DIR");
  if (!data_dir || !synced_dir) return 0;
  size_t prefix = strlen(data_dir);
  if (strncmp(path, data_dir, prefix) != 0 || path[prefix] != '/') return 0;
  if (snprintf(target, PATH_MAX, "%s%s", synced_dir, path + prefix) >= PATH_MAX) {
    errno = ENAMETOOLONG;
    fail("cannot name the copy of", path);
  }
  return 1;
}

/* Names in `out` the absolute path of `path`, whose last part need not exist (any more). */
static int absolute_path(const char *path, char *out) {
  char folder[PATH_MAX], resolved[PATH_MAX];
  snprintf(folder, sizeof folder, "%s", path);
  char *slash = strrchr(folder, '/');
  const char *name = slash ? path + (slash - folder) + 1 : path;
  if (slash) *slash = '\0';
  if (!realpath(!slash ? "." : slash == folder ? "/" : folder, resolved)) return 0;
  return snprintf(out, PATH_MAX, "%s/%s", resolved, name) < PATH_MAX;
}

/* Copies the file open as `fd` if it lies under the data folder. */
static void snapshot(int fd) {
  struct stat status;
  /* A folder's fsync keeps entries, not contents; a file already deleted
     will not be there after the cut, whatever it held. */
  if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) || status.st_nlink == 0) return;
  char link[64], path[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t length = readlink(link, path, sizeof path - 1);
  if (length < 0) fail("cannot read", link);
  path[length] = '\0';
  char target[PATH_MAX];
  if (!synced_path_of(path, target)) return;
  pthread_mutex_lock(&copying);
  make_parents(target);
  copy_content(link, target);
  pthread_mutex_unlock(&copying);
}

/* Syncs with the C library's function, then copies the file it synced. */
static int synced(int result, int fd) {
  if (result == 0) {
    int saved = errno;
    snapshot(fd);
    errno = saved;
  }
  return result;
}

int fsync(int fd) { return synced(REAL(fsync)(fd), fd); }

int fdatasync(int fd) { return synced(REAL(fdatasync)(fd), fd); }

/* After `from` got the name `to` too (link) or instead (rename): `to`'s synced copy is `from`'s. */
static int named(int result, const char *from, const char *to, int kept) {
  if (result != 0) return result;
  int saved = errno;
  char absolute_from[PATH_MAX], absolute_to[PATH_MAX], synced_from[PATH_MAX], synced_to[PATH_MAX];
  if (absolute_path(from, absolute_from) && absolute_path(to, absolute_to) &&
      synced_path_of(absolute_from, synced_from) && synced_path_of(absolute_to, synced_to) &&
      access(synced_from, F_OK) == 0) {
    pthread_mutex_lock(&copying);
    make_parents(synced_to);
    if (kept) {
      copy_content(synced_from, synced_to);
    } else if (REAL(rename)(synced_from, synced_to) != 0) {
      fail("cannot rename", synced_from);
    }
    pthread_mutex_unlock(&copying);
  }
  errno = saved;
  return result;
}

int link(const char *from, const char *to) { return named(REAL(link)(from, to), from, to, 1); }

int rename(const char *from, const char *to) { return named(REAL(rename)(from, to), from, to, 0); }
