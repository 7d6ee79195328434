#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
// Headers live in /usr/include/libxml2; the -I flag comes from pkg-config (libxml-2.0).
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, so <libxml/encoding.h> includes the system <unicode/ucnv.h>,
// whose types (UErrorCode, ...) clash with the copy bundled in Foundation (_FoundationICU).
// Dropping the macro hides only the ICU-specific tail of xmlCharEncodingHandler, which Swift code
// never allocates or inspects (it is only handled by pointer).
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlschemas.h>

// xmlFree is a C global function-pointer variable; Swift 6 cannot touch it safely.
static inline void cxml_free(void *p) { xmlFree(p); }
#endif
