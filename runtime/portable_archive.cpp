// portable_archive.cpp — instantiates Boost's archive templates for the portable archives.
#include "portable_archive.h"

#include <boost/archive/impl/archive_serializer_map.ipp>
#include <boost/archive/impl/basic_binary_iprimitive.ipp>
#include <boost/archive/impl/basic_binary_oprimitive.ipp>

namespace boost {
namespace archive {
template class basic_binary_oprimitive<hm::portable_oarchive, char, std::char_traits<char>>;
template class basic_binary_iprimitive<hm::portable_iarchive, char, std::char_traits<char>>;
template class detail::archive_serializer_map<hm::portable_oarchive>;
template class detail::archive_serializer_map<hm::portable_iarchive>;
} // namespace archive
} // namespace boost
