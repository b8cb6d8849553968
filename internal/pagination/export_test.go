package pagination

// SetMaxPagesWithoutCount lowers the bound on walks without a count for one
// test and returns the function that restores it.
func SetMaxPagesWithoutCount(n int) (restore func()) {
	old := maxPagesWithoutCount
	maxPagesWithoutCount = n
	return func() { maxPagesWithoutCount = old }
}
