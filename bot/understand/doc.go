// Package understand turns a resident's question into a Frame: what it is
// about, with which filters, what is asked, and which words stayed
// unexplained. Answering (package bot) executes the frame against the
// knowledge base; nothing here composes a reply.
package understand
