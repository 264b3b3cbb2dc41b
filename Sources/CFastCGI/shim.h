// Never include fcgi_stdio.h: it redefines stdin, stdout and printf.
#include <fastcgi.h>
#include <fcgiapp.h>
