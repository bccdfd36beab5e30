package odb

import (
	"container/list"
	"sync"
)

type key struct {
	pack int
	off  int64
}

type entry struct {
	k    key
	typ  Type
	data []byte
	crc  uint32 // of its packed bytes (the delta, for a rebuilt object)
}

// lru holds resolved objects up to a byte budget, least recently used
// out first. It is shared by a DB's readers.
type lru struct {
	mu        sync.Mutex
	max, size int
	order     *list.List
	items     map[key]*list.Element
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), items: map[key]*list.Element{}}
}

// get returns a copy of the entry.
func (c *lru) get(k key) (entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		return entry{}, false
	}
	c.order.MoveToFront(el)
	return *el.Value.(*entry), true
}

// put caches an object, with the CRC-32 of its packed bytes; one bigger
// than a quarter of the budget is not kept, so a single huge file cannot
// flush every delta base.
func (c *lru) put(k key, t Type, data []byte, crc uint32) {
	if len(data) > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.items[k] = c.order.PushFront(&entry{k, t, data, crc})
	c.size += len(data)
	for c.size > c.max {
		el := c.order.Back()
		e := el.Value.(*entry)
		c.order.Remove(el)
		delete(c.items, e.k)
		c.size -= len(e.data)
	}
}
