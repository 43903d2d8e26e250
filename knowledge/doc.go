// Package knowledge holds what the bot knows: the YAML format city-hall
// editors write (towns, their partners, exchanges and news), the strict
// loader that turns a folder of such files into an immutable KB, and the
// index that finds towns, partners and places in residents' questions.
package knowledge
