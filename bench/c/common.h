/* Timing helpers shared by the two benchmark programs. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* CPU time of the whole process, in microseconds: the client's own work per call,
 * without the time spent waiting for the emulator. */
static double cpu_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Prints "NAME mean_us p99_us cpu_us" for the per-call latencies and CPU times. */
static void report(const char *name, double *lat, double *cpu, int n) {
    double sum = 0, cpu_sum = 0;
    for (int i = 0; i < n; i++) { sum += lat[i]; cpu_sum += cpu[i]; }
    qsort(lat, n, sizeof *lat, cmp_double);
    printf("%s %.1f %.1f %.1f\n", name, sum / n, lat[(int)(n * 0.99)], cpu_sum / n);
}

static void action_id(char *out, int prefix, int i) {
    sprintf(out, "%08d-0000-4000-8000-%012d", prefix, i);
}
