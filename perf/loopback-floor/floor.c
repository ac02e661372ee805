// Kernel floor on this machine: one thread writes 190-byte messages round-robin over N loopback TCP connections
// (TCP_NODELAY) at a paced rate; a reader on the other CPU drains them with epoll. Prints the writer's CPU per write.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
static void pin(int cpu){cpu_set_t s;CPU_ZERO(&s);CPU_SET(cpu,&s);sched_setaffinity(0,sizeof s,&s);}
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  int n=atoi(argv[1]); double rate=atof(argv[2]); double secs=atof(argv[3]);
  int l=socket(AF_INET,SOCK_STREAM,0); struct sockaddr_in a={0}; a.sin_family=AF_INET; a.sin_addr.s_addr=htonl(0x7f000001);
  int one=1; setsockopt(l,SOL_SOCKET,SO_REUSEADDR,&one,4); bind(l,(void*)&a,sizeof a); listen(l,4096);
  socklen_t al=sizeof a; getsockname(l,(void*)&a,&al);
  int *c=malloc(n*sizeof(int)), *s=malloc(n*sizeof(int));
  for(int i=0;i<n;i++){c[i]=socket(AF_INET,SOCK_STREAM,0); connect(c[i],(void*)&a,sizeof a); s[i]=accept(l,0,0); setsockopt(s[i],IPPROTO_TCP,TCP_NODELAY,&one,4);}
  pid_t p=fork();
  if(p==0){ pin(1); int e=epoll_create1(0); for(int i=0;i<n;i++){struct epoll_event ev={.events=EPOLLIN,.data.fd=c[i]}; epoll_ctl(e,EPOLL_CTL_ADD,c[i],&ev);}
    struct epoll_event evs[512]; char buf[65536]; double end=now()+secs+2;
    while(now()<end){int k=epoll_wait(e,evs,512,100); for(int i=0;i<k;i++) recv(evs[i].data.fd,buf,sizeof buf,MSG_DONTWAIT);} _exit(0);}
  pin(0); char msg[190]; memset(msg,'x',190);
  struct rusage r0,r1; getrusage(RUSAGE_SELF,&r0); double t0=now(); long sent=0; int i=0;
  while(1){double t=now()-t0; if(t>=secs)break; long due=(long)(t*rate)-sent; if(due<=0){struct timespec ts={0,200000}; nanosleep(&ts,0); continue;}
    for(long k=0;k<due;k++){send(s[i],msg,190,MSG_DONTWAIT); i=(i+1)%n; sent++;}}
  getrusage(RUSAGE_SELF,&r1);
  double cpu=(r1.ru_utime.tv_sec-r0.ru_utime.tv_sec)+(r1.ru_utime.tv_usec-r0.ru_utime.tv_usec)*1e-6+(r1.ru_stime.tv_sec-r0.ru_stime.tv_sec)+(r1.ru_stime.tv_usec-r0.ru_stime.tv_usec)*1e-6;
  printf("connections %d rate %.0f/s: %ld writes in %.1f s, writer CPU %.0f %% of a core, %.2f us per write\n",n,rate,sent,secs,cpu/secs*100,cpu*1e6/sent);
  waitpid(p,0,0); return 0;}
