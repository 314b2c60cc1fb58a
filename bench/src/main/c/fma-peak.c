/*
 * The C FMA peak of this machine, for jcnn.bench.Report to print beside the Java one (FmaPeakBench) measured in
 * the same session. Built and run by bench/run-quick.sh and bench/run-peers.sh when a C compiler is present:
 *
 *     gcc -O3 -march=native -pthread -o bench/target/fma-peak bench/src/main/c/fma-peak.c && bench/target/fma-peak
 *
 * Why it reaches the peak: twelve independent accumulators cover the FMA latency (4 cycles) times the number of
 * FMA ports (2), so no FMA waits for the previous one; GCC's vector extensions give the widest vectors that
 * -march=native enables (512-bit with AVX-512, else 256-bit), and GNU C contracts a*b+c into one FMA. The
 * multiplier and addend make every accumulator converge to 1, far from denormals and infinities, whose slow
 * paths would measure something else.
 *
 * Output (read by Report --c-peak): a '#' line naming what ran, then one line per thread count:
 *     threads=1 gflops=130.5 best=131.9
 * gflops is the total work over the total time of twenty runs (a few ms each), the same statistic as JMH's average
 * time, so that it compares with FmaPeakBench like with like; best is the fastest run, what the hardware can do
 * when nobody else is using the core (on a shared machine the two differ by the interference).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#define BYTES 64
#define ISA "AVX-512"
#elif defined(__AVX__)
#define BYTES 32
#ifdef __FMA__
#define ISA "AVX2+FMA"
#else
#define ISA "AVX (no FMA)"
#endif
#else
#define BYTES 16
#define ISA "SSE"
#endif

typedef float vf __attribute__((vector_size(BYTES)));
#define LANES (BYTES / 4)
#define ACCUMULATORS 12
/* The same work per thread as FmaPeakBench: 12 * 16 * 2^19 lane FMAs. */
#define LANE_FMAS_PER_THREAD (12L * 16 << 19)

static volatile float sink;

static void *burn(void *arg) {
    float seed = *(float *) arg;
    vf m = {0}, c = {0}, a[ACCUMULATORS];
    for (int l = 0; l < LANES; l++) {
        m[l] = 0.9999f;
        c[l] = 1e-4f;
    }
    for (int j = 0; j < ACCUMULATORS; j++) {
        for (int l = 0; l < LANES; l++) {
            a[j][l] = seed + 0.001f * j;
        }
    }
    long reps = LANE_FMAS_PER_THREAD / (ACCUMULATORS * LANES);
    vf a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5];
    vf a6 = a[6], a7 = a[7], a8 = a[8], a9 = a[9], a10 = a[10], a11 = a[11];
    for (long i = 0; i < reps; i++) {
        a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c;
        a4 = a4 * m + c; a5 = a5 * m + c; a6 = a6 * m + c; a7 = a7 * m + c;
        a8 = a8 * m + c; a9 = a9 * m + c; a10 = a10 * m + c; a11 = a11 * m + c;
        __asm__ volatile("" : "+x"(a0), "+x"(a1), "+x"(a2), "+x"(a3)); /* keeps the loop from being folded */
    }
    vf s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    float total = 0;
    for (int l = 0; l < LANES; l++) {
        total += s[l];
    }
    sink = total;
    return NULL;
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int maxThreads = argc > 1 ? atoi(argv[1]) : 2;
    if (maxThreads < 1 || maxThreads > 64) {
        fprintf(stderr, "usage: fma-peak [max threads, 1..64; default 2]\n");
        return 2;
    }
    printf("# C FMA peak: gcc vector extensions, %d-bit (%s), %d accumulators, mean and best of 20 runs\n",
           BYTES * 8, ISA, ACCUMULATORS);
    for (int threads = 1; threads <= maxThreads; threads++) {
        double best = 0, total = 0;
        pthread_t ids[64];
        float seeds[64];
        for (int run = 0; run < 20; run++) {
            double start = seconds();
            for (int t = 0; t < threads; t++) {
                seeds[t] = 0.5f + t;
                pthread_create(&ids[t], NULL, burn, &seeds[t]);
            }
            for (int t = 0; t < threads; t++) {
                pthread_join(ids[t], NULL);
            }
            double elapsed = seconds() - start;
            double gflops = 2.0 * LANE_FMAS_PER_THREAD * threads / elapsed / 1e9;
            total += elapsed;
            if (gflops > best) {
                best = gflops;
            }
        }
        printf("threads=%d gflops=%.1f best=%.1f\n", threads, 20 * 2.0 * LANE_FMAS_PER_THREAD * threads / total / 1e9,
               best);
    }
    return 0;
}
