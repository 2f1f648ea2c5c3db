/*
 * The pod sandbox's process: holds the pod's namespaces open and does nothing else. It sleeps until SIGINT or
 * SIGTERM (then exits 0) and, as PID 1 of a shared PID namespace, reaps every child that is handed to it.
 * Written for the cluster test tier (test/cluster/images); built with `gcc -static`.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef VERSION
#define VERSION "e2e"
#endif

static void on_stop(int sig) {
  /* write(2) is async-signal-safe; printf is not. */
  static const char msg[] = "pause: stopping on signal\n";
  (void)sig;
  if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
    /* nothing to do: we exit either way */
  }
  _exit(0);
}

static void on_child(int sig) {
  int saved = errno;
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved;
}

int main(int argc, char **argv) {
  struct sigaction sa;
  if (argc > 1 && (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--version") == 0)) {
    printf("pause %s\n", VERSION);
    return 0;
  }
  if (getpid() != 1) {
    fprintf(stderr, "pause: warning: not PID 1, children of other processes are not reaped here\n");
  }
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_stop;
  if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0) {
    perror("pause: sigaction");
    return 1;
  }
  sa.sa_handler = on_child;
  sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
  if (sigaction(SIGCHLD, &sa, NULL) < 0) {
    perror("pause: sigaction");
    return 2;
  }
  for (;;) {
    pause();
  }
  return 42; /* not reached */
}
