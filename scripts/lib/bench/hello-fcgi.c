/* scripts/bench's C anchor: the smallest libfcgi worker pool, set up like srochno-fcgi's.
 * usage: hello-fcgi SOCKET_PATH PROCESSES
 * Binds a unix socket (backlog 1024, mode 0666), pre-forks PROCESSES children that each
 * accept and answer a fixed 200 JSON body, and stops them all on SIGTERM or SIGINT. */
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3 || atoi(argv[2]) < 1) { fprintf(stderr, "usage: %s SOCKET_PATH PROCESSES\n", argv[0]); return 2; }
    int processes = atoi(argv[2]);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    FCGX_Init();
    unlink(argv[1]);
    int fd = FCGX_OpenSocket(argv[1], 1024);
    if (fd < 0) { perror("FCGX_OpenSocket"); return 1; }
    chmod(argv[1], 0666);
    pid_t children[64];
    if (processes > 64) processes = 64;
    for (int i = 0; i < processes; i++) {
        if ((children[i] = fork()) == 0) {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            sigprocmask(SIG_UNBLOCK, &stop, NULL);
            FCGX_Request request;
            FCGX_InitRequest(&request, fd, 0);
            while (FCGX_Accept_r(&request) >= 0) {
                FCGX_PutS("Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n"
                          "{\"status\":\"healthy\"}", request.out);
                FCGX_Finish_r(&request);
            }
            _exit(0);
        }
    }
    int signal;
    sigwait(&stop, &signal);
    for (int i = 0; i < processes; i++) kill(children[i], SIGTERM);
    while (wait(NULL) > 0) {}
    unlink(argv[1]);
    return 0;
}
